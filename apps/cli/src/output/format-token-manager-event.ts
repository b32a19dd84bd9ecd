import type { TokenManagerEvent } from '@qwen-relay/contracts';

/**
 * One `--debug` line for a token-manager event: its type and fields, e.g.
 * `debug: lock-waiting accountId=default attempt=2`. Events never carry secrets.
 */
export function formatTokenManagerEvent(event: TokenManagerEvent): string {
  const fields = Object.entries(event)
    .filter(([name]) => name !== 'type')
    .map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `debug: ${[event.type, ...fields].join(' ')}`;
}
