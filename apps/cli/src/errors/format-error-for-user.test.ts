import { NeedsReauthError } from '@qwen-relay/token-manager';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error';
import { formatErrorForUser } from './format-error-for-user';

describe('formatErrorForUser', () => {
  it('gives a token-manager error one sentence and the next step for its account', () => {
    const error = new NeedsReauthError({
      accountId: 'work',
      credentialsPath: '/x/oauth_creds_work.json',
    });
    expect(formatErrorForUser({ error, debug: false })).toBe(
      'Error: The OAuth server no longer accepts this account’s refresh token.\n' +
        'Log in again with `qwen-relay auth login --account work`.\n',
    );
  });

  it('recognises errors by code, e.g. after crossing a boundary as plain objects', () => {
    const error = { code: 'QWEN_RELAY_LOCK_TIMEOUT', message: 'timeout' };
    expect(formatErrorForUser({ error, debug: false })).toContain(
      'Another program kept the credentials lock',
    );
  });

  it('explains a network failure wrapped by fetch', () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }),
    });
    expect(formatErrorForUser({ error, debug: false })).toBe(
      'Error: Could not reach the server: the host name does not resolve.\n' +
        'Check your network, or the QWEN_OAUTH_BASE_URL / --oauth-base-url setting.\n',
    );
  });

  it('hides the stack unless --debug', () => {
    const error = new Error('boom');
    expect(formatErrorForUser({ error, debug: false })).toBe(
      'Error: Unexpected error: boom\nRun the command again with --debug for details.\n',
    );
    expect(formatErrorForUser({ error, debug: true })).toContain('at ');
  });

  it('prints a CliError as written', () => {
    const error = new CliError({ code: 'QWEN_RELAY_CLI_USAGE', message: 'Bad.', hint: 'Do this.' });
    expect(formatErrorForUser({ error, debug: false })).toBe('Error: Bad.\nDo this.\n');
    expect(error.code).toBe('QWEN_RELAY_CLI_USAGE');
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('qwen-relay.error')]).toBe(
      true,
    );
  });
});
