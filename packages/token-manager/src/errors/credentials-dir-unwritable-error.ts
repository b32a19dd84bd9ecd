import { QwenRelayError } from '@qwen-relay/contracts';

/**
 * The credentials directory does not let this process create files (the lock, a temp file):
 * no refresh can be coordinated or saved until someone fixes its permissions.
 */
export class CredentialsDirUnwritableError extends QwenRelayError {
  readonly directory: string;
  /** the errno code, e.g. EACCES, EROFS, ENOSPC */
  readonly errnoCode: string;

  constructor({
    directory,
    path,
    errnoCode,
    accountId,
    cause,
  }: {
    directory: string;
    /** the file that could not be created */
    path: string;
    errnoCode: string;
    accountId?: string;
    cause?: unknown;
  }) {
    const fix =
      errnoCode === 'ENOENT'
        ? `create it (\`mkdir -m 700 '${directory}'\`)`
        : errnoCode === 'ENOSPC' || errnoCode === 'EDQUOT'
          ? 'free disk space'
          : errnoCode === 'EROFS'
            ? 'mount it read-write'
            : `make it writable by this user (\`chmod u+rwx '${directory}'\`, or \`chown\` it to this user)`;
    super({
      code: 'QWEN_RELAY_CREDENTIALS_DIR_UNWRITABLE',
      message:
        `Cannot create ${path} (${errnoCode}): the credentials directory ${directory} is not writable, ` +
        `so tokens cannot be refreshed or saved. Fix: ${fix}, or set QWEN_DIR to a writable directory holding your credentials.`,
      retryable: false,
      ...(accountId === undefined ? {} : { accountId }),
      ...(cause === undefined ? {} : { cause }),
    });
    this.directory = directory;
    this.errnoCode = errnoCode;
  }
}
