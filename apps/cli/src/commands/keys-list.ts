import {
  AccountsFileError,
  parseAccountsFile,
  readAccountsDocument,
  resolveAccountsPath,
} from '@qwen-relay/proxy';
import { formatRegion, PLAN_MODELS, resolveRegionId } from '@qwen-relay/qwen-client';
import { EXIT_CODES } from '../errors/exit-codes';
import { maskKey } from '../keys/mask-key';
import type { CommandContext } from './command-context';

/** One line of `keys list`: never the key itself. */
interface KeyListing {
  id: string;
  type: string;
  source: 'accounts file' | 'QWEN_API_KEY';
  region?: string;
  baseUrl?: string;
  /** `sk-sp-…3f9a`, or `$NAME` for apiKeyEnv */
  key: string;
  /** what the account serves: its own list, or its plan's built-in one */
  models: { count: number; from: 'plan' | 'account' };
  /** `ok`, or what is wrong with the entry */
  state: string;
}

/**
 * `qwen-relay keys list`: every key account of the accounts file (and QWEN_API_KEY) with its
 * masked key, type, region, models and whether the entry is valid. Invalid entries are listed
 * too, each with its problem, so one typo does not hide the rest.
 */
export async function runKeysList({
  json = false,
  ...context
}: CommandContext & { json?: boolean }): Promise<number> {
  const { path } = resolveAccountsPath(context.env.QWEN_RELAY_ACCOUNTS);
  const document = await readAccountsDocument({ path });
  const listings: KeyListing[] = [];
  if (context.env.QWEN_API_KEY) {
    listings.push({
      id: 'api-key',
      type: context.env.QWEN_API_KEY.trim().startsWith('sk-sp-') ? 'coding-plan' : 'standard',
      source: 'QWEN_API_KEY',
      ...(context.env.QWEN_API_BASE_URL ? { baseUrl: context.env.QWEN_API_BASE_URL } : {}),
      key: maskKey(context.env.QWEN_API_KEY),
      models: { count: 0, from: 'plan' },
      state: 'ok',
    });
    const listing = listings[0];
    if (listing) {
      const models = PLAN_MODELS[listing.type as 'coding-plan' | 'standard'];
      listing.models.count = models.length;
    }
  }
  document.accounts.forEach((entry, entryIndex) => {
    if (entry.type === 'qwen-oauth') return;
    const listing: KeyListing = {
      id: typeof entry.id === 'string' ? entry.id : `#${entryIndex}`,
      type: typeof entry.type === 'string' ? entry.type : '?',
      source: 'accounts file',
      key:
        typeof entry.apiKey === 'string'
          ? maskKey(entry.apiKey)
          : typeof entry.apiKeyEnv === 'string'
            ? `$${entry.apiKeyEnv}${context.env[entry.apiKeyEnv] ? '' : ' (not set)'}`
            : '–',
      models: Array.isArray(entry.models)
        ? { count: entry.models.length, from: 'account' }
        : {
            count: PLAN_MODELS[entry.type as keyof typeof PLAN_MODELS]?.length ?? 0,
            from: 'plan',
          },
      state: 'ok',
    };
    if (typeof entry.region === 'string') {
      listing.region = formatRegion(resolveRegionId(entry.region));
    }
    if (typeof entry.baseUrl === 'string') listing.baseUrl = entry.baseUrl;
    try {
      // each entry on its own, so every problem shows, not only the first
      parseAccountsFile({
        text: JSON.stringify({ accounts: [entry] }),
        path,
        env: context.env,
        qwenDir: context.qwenDir,
      });
    } catch (error) {
      if (!(error instanceof AccountsFileError)) throw error;
      listing.state = `invalid ${error.field === undefined ? '' : `${error.field}: `}${error.message.replace(/^.*?: (?=[^:]*$)/, '')}`;
    }
    listings.push(listing);
  });

  if (json) {
    context.stdout.write(
      `${JSON.stringify({ accountsFile: path, accounts: listings }, null, 2)}\n`,
    );
    return EXIT_CODES.ok;
  }
  if (listings.length === 0) {
    context.stdout.write(`No keys yet (${path}). Add one with \`qwen-relay keys add\`.\n`);
    return EXIT_CODES.ok;
  }
  const width = Math.max(...listings.map((listing) => listing.id.length));
  for (const listing of listings) {
    const mark = listing.state === 'ok' ? context.colors.green('✓') : context.colors.red('✗');
    const where = listing.baseUrl ?? listing.region ?? 'intl';
    const models = `${listing.models.count} models${listing.models.from === 'plan' ? ' (plan)' : ''}`;
    context.stdout.write(
      `${mark} ${listing.id.padEnd(width)}  ${listing.type}  ${where}  ${listing.key}  ${models}  ${listing.state}` +
        `${listing.source === 'QWEN_API_KEY' ? context.colors.dim('  (QWEN_API_KEY)') : ''}\n`,
    );
  }
  context.stdout.write(context.colors.dim(`accounts file: ${path}\n`));
  return EXIT_CODES.ok;
}
