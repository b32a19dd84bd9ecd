import type { LockStaleReason, RelayEvent } from '@qwen-relay/contracts';
import type { LogFields, Logger, LogLineLevel } from './create-logger';

interface LogLine {
  level: LogLineLevel;
  message: string;
}

const STALE_LOCK_MESSAGES: Record<LockStaleReason, string> = {
  expired: 'Removed a stale credentials lock (untouched for longer than LOCK_STALE_MS)',
  'future-mtime':
    'Removed a credentials lock whose modification time is in the future (clock skew): it would never turn stale',
  'dangling-symlink':
    'Removed a credentials lock that is a symlink to nothing: it would block every refresh',
  'dead-owner': 'Removed a credentials lock left by a process of ours that is no longer running',
};

/**
 * Maps one event to the docs/design.md §7 line(s) users of the earlier proxy know. Exhaustive: a new or renamed
 * event of token-manager or qwen-client does not compile until it has its line here.
 */
function describeRelayEvent(event: RelayEvent): LogLine[] {
  switch (event.type) {
    case 'token-served':
      return [{ level: 'debug', message: 'Using valid Qwen access token' }];
    case 'refresh-started':
      return event.reason === 'expiring' || event.reason === 'expired'
        ? [
            { level: 'info', message: 'Qwen access token expired or expiring soon, refreshing...' },
            { level: 'info', message: 'Refreshing Qwen access token...' },
          ]
        : [{ level: 'info', message: 'Refreshing Qwen access token...' }];
    case 'refresh-succeeded':
      return [{ level: 'info', message: 'Qwen access token refreshed successfully' }];
    case 'refresh-failed':
      return [{ level: 'warn', message: 'Qwen access token refresh failed' }];
    case 'lock-waiting':
      return [
        { level: 'info', message: 'Another process holds the credentials lock, waiting for it...' },
      ];
    case 'lock-acquired':
      return [{ level: 'debug', message: 'Credentials lock acquired' }];
    case 'lock-stale-removed':
      return [
        {
          level: 'warn',
          // an event of an older token-manager may lack the reason
          message: STALE_LOCK_MESSAGES[event.reason] ?? 'Removed a stale credentials lock',
        },
      ];
    case 'persist-failed':
      return [
        {
          level: 'error',
          message: `Could not save refreshed Qwen credentials to ${event.credentialsPath} (${event.errnoCode}): kept in memory, retrying; fix it before the proxy stops or the next start needs a new login`,
        },
      ];
    case 'persist-recovered':
      return [
        {
          level: 'info',
          message:
            event.outcome === 'superseded'
              ? 'Unsaved Qwen credentials superseded by newer ones in the credentials file'
              : `Refreshed Qwen credentials saved to ${event.credentialsPath}`,
        },
      ];
    case 'interrupted-write-recovered':
      return [
        {
          level: 'warn',
          message: `Recovered Qwen credentials from an interrupted write: adopted ${event.tempPath}, previous file kept as ${event.backupPath}`,
        },
      ];
    case 'credentials-dir-unwritable':
      return [
        {
          level: 'error',
          message: event.message,
        },
      ];
    case 'token-adopted':
      return [
        { level: 'info', message: 'Using the Qwen access token refreshed by another process' },
      ];
    case 'token-invalidated':
      return [{ level: 'debug', message: 'Upstream rejected the Qwen access token' }];
    case 'credentials-unusable':
      return [{ level: 'warn', message: 'Qwen credentials file is unusable' }];
    case 'needs-reauth':
      return [
        {
          level: 'error',
          message: 'Qwen credentials need a new login: run `qwen-relay auth login`',
        },
      ];
    case 'recovered':
      return [{ level: 'info', message: 'Qwen credentials recovered' }];
    case 'attempt':
      return [{ level: 'debug', message: 'Sending request upstream' }];
    case 'retry':
      return [{ level: 'warn', message: 'Upstream request failed, retrying...' }];
    case 'auth-error-detected':
      return [
        {
          level: 'warn',
          message: `Detected auth error (${event.status}), attempting token refresh and retry...`,
        },
      ];
    case 'auth-retry':
      return [{ level: 'info', message: 'Retrying request with refreshed token...' }];
    case 'auth-retry-succeeded':
      return [{ level: 'info', message: 'Request succeeded after token refresh' }];
    case 'auth-retry-failed':
      return [{ level: 'error', message: 'Request failed even after token refresh' }];
    case 'account-cooldown':
      return [{ level: 'warn', message: 'Account cooling down after upstream rate limit' }];
    case 'account-recovered':
      return [{ level: 'info', message: 'Account available again' }];
    case 'stream-fallback':
      return [
        {
          level: 'warn',
          message: 'Upstream stream timed out before the first byte, retrying without streaming',
        },
      ];
    default:
      return describeUnknownEvent(event);
  }
}

// `never` at compile time (the switch is exhaustive); an event of a newer package at run time
function describeUnknownEvent(event: never): LogLine[] {
  return [{ level: 'debug', message: `Event ${(event as { type: string }).type}` }];
}

/** Writes an event as its docs/design.md §7 message(s), with the event's fields (pretty) or as JSON fields. */
export function logRelayEvent({ logger, event }: { logger: Logger; event: RelayEvent }): void {
  const lines = describeRelayEvent(event);
  // per-request events (attempt, token-served) are debug lines: no field copy when filtered out
  if (!lines.some((line) => logger.isLevelEnabled(line.level))) return;
  const { type, ...rest } = event;
  const fields: LogFields = { event: type, ...rest };
  for (const line of lines) {
    logger[line.level](line.message, fields);
  }
}
