import { ProxyConfigError } from '../config/proxy-config-error';

/** The accounts file is unreadable or invalid; the message names the file, the entry and the field. */
export class AccountsFileError extends ProxyConfigError {
  readonly path: string;
  /** index of the entry in `accounts` */
  readonly entryIndex?: number;
  readonly field?: string;
  constructor({
    path,
    entryIndex,
    entryId,
    field,
    problem,
  }: {
    path: string;
    entryIndex?: number;
    entryId?: string;
    field?: string;
    problem: string;
  }) {
    const entry =
      entryIndex === undefined
        ? ''
        : `accounts[${entryIndex}]${entryId === undefined ? '' : ` (id "${entryId}")`}`;
    const location = [entry, field === undefined ? '' : `field "${field}"`]
      .filter((part) => part !== '')
      .join(', ');
    super({
      setting: 'QWEN_RELAY_ACCOUNTS',
      message: `Invalid accounts file ${path}${location === '' ? '' : `: ${location}`}: ${problem}`,
    });
    this.path = path;
    if (entryIndex !== undefined) this.entryIndex = entryIndex;
    if (field !== undefined) this.field = field;
  }
}
