import type { TokenManagerEvent } from '@qwen-relay/contracts';
import {
  createQwenOAuthTokenManager,
  getCredentialsPath,
  getLockPath,
} from '@qwen-relay/token-manager';
import { formatAccountFlag, resolveAccountId } from '../accounts/parse-account-name';
import { readLockOptions } from '../accounts/read-lock-options';
import { attachAccountId } from '../errors/attach-account-id';
import { CliError } from '../errors/cli-error';
import { EXIT_CODES } from '../errors/exit-codes';
import { formatTokenManagerEvent } from '../output/format-token-manager-event';
import { formatExpiry } from '../output/render-account-report';
import type { CommandContext } from './command-context';

/**
 * `qwen-relay auth refresh`: refreshes now through token-manager, i.e. through the same lock
 * and single-flight path as the proxy. If another process refreshes while this one waits for
 * the lock, token-manager adopts that token instead of spending the rotating refresh token
 * again. Interrupted, the file is either untouched or fully replaced (atomic rename).
 */
export async function runAuthRefresh({
  account,
  json = false,
  onEvent,
  ...context
}: CommandContext & {
  account?: string;
  json?: boolean;
  /** token-manager's events (lock waits, adoption…); printed to stderr with --debug */
  onEvent?: (event: TokenManagerEvent) => void;
}): Promise<number> {
  const accountId = resolveAccountId(account);
  const credentialsPath = getCredentialsPath({ qwenDir: context.qwenDir, accountId });
  const manager = createQwenOAuthTokenManager({
    accountId,
    credentialsPath,
    lockPath: getLockPath({ credentialsPath }),
    oauthBaseUrl: context.oauthBaseUrl,
    proactiveRefresh: false,
    lock: readLockOptions(context.env),
    now: context.now,
    onEvent: (event) => {
      onEvent?.(event);
      if (context.debug) context.stderr.write(`${formatTokenManagerEvent(event)}\n`);
    },
  });
  const { signal } = context;
  let previousExpiresAtInMs: number | undefined;
  let nextExpiresAtInMs: number | undefined;
  try {
    await manager.start();
    previousExpiresAtInMs = manager.getStatus().expiresAtInMs;
    const token = await manager.refresh({
      force: true,
      ...(signal === undefined ? {} : { signal }),
    });
    nextExpiresAtInMs = token.expiresAtInMs ?? manager.getStatus().expiresAtInMs;
  } catch (error) {
    if (signal?.aborted === true) {
      throw new CliError({
        code: 'QWEN_RELAY_CLI_CANCELLED',
        message: 'Refresh cancelled; the credentials file is either unchanged or fully updated.',
        hint: `Check with \`qwen-relay auth status${formatAccountFlag(accountId)}\`.`,
        exitCode: EXIT_CODES.interrupted,
        cause: error,
      });
    }
    throw attachAccountId({ error, accountId });
  } finally {
    await manager.close();
  }
  const nowInMs = context.now();
  if (json) {
    const iso = (atInMs: number | undefined) =>
      atInMs === undefined ? null : new Date(atInMs).toISOString();
    context.stdout.write(
      `${JSON.stringify({ accountId, credentialsPath, previousExpiresAt: iso(previousExpiresAtInMs), expiresAt: iso(nextExpiresAtInMs) }, null, 2)}\n`,
    );
    return EXIT_CODES.ok;
  }
  const describe = (atInMs: number | undefined) =>
    atInMs === undefined ? 'unknown' : formatExpiry({ expiresAtInMs: atInMs, nowInMs });
  const { colors } = context;
  context.stdout.write(
    `${colors.green('✓')} Refreshed ${colors.bold(accountId)} (${credentialsPath})\n` +
      `    ${colors.dim('before'.padEnd(9))}${describe(previousExpiresAtInMs)}\n` +
      `    ${colors.dim('now'.padEnd(9))}${describe(nextExpiresAtInMs)}\n`,
  );
  return EXIT_CODES.ok;
}
