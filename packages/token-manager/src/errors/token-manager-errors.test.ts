import { isQwenRelayError } from '@qwen-relay/contracts';
import { describe, expect, it } from 'vitest';
import { CorruptCredentialsError } from './corrupt-credentials-error';
import { DeviceFlowError } from './device-flow-error';
import { LockTimeoutError } from './lock-timeout-error';
import { NeedsReauthError } from './needs-reauth-error';
import { NoCredentialsError } from './no-credentials-error';
import { TokenRefreshError } from './token-refresh-error';

describe('token-manager errors', () => {
  it.each([
    [
      new NoCredentialsError({ credentialsPath: '/q/oauth_creds.json' }),
      'QWEN_RELAY_NO_CREDENTIALS',
      401,
    ],
    [
      new NeedsReauthError({ credentialsPath: '/q/c.json', accountId: 'default' }),
      'QWEN_RELAY_NEEDS_REAUTH',
      401,
    ],
    [
      new CorruptCredentialsError({ credentialsPath: '/q/c.json', problem: 'x' }),
      'QWEN_RELAY_CORRUPT_CREDENTIALS',
      503,
    ],
    [
      new TokenRefreshError({ reason: 'network', message: 'm', retryable: true }),
      'QWEN_RELAY_TOKEN_REFRESH_FAILED',
      503,
    ],
    [
      new LockTimeoutError({ lockPath: '/q/oauth_creds.lock', attempts: 20 }),
      'QWEN_RELAY_LOCK_TIMEOUT',
      503,
    ],
  ])('%s carries its code, status and the shared marker', (error, code, status) => {
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('qwen-relay.error')]).toBe(
      true,
    );
    expect(isQwenRelayError(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(error.constructor.name);
  });

  it('names device flow outcomes in the code', () => {
    for (const failure of ['DENIED', 'EXPIRED', 'FAILED'] as const) {
      expect(new DeviceFlowError({ failure, message: 'm' }).code).toBe(
        `QWEN_RELAY_DEVICE_FLOW_${failure}`,
      );
    }
  });

  it('recognises plain objects that crossed a worker boundary by code only', () => {
    expect(isQwenRelayError({ code: 'QWEN_RELAY_NEEDS_REAUTH', message: 'm' })).toBe(true);
    expect(isQwenRelayError({ code: 'ECONNRESET' })).toBe(false);
    expect(isQwenRelayError(new Error('plain'))).toBe(false);
    expect(isQwenRelayError(null)).toBe(false);
  });

  it('tells a named account how to log in again', () => {
    const error = new NeedsReauthError({
      credentialsPath: '/q/oauth_creds_work.json',
      accountId: 'work',
    });
    expect(error.message).toContain('qwen-relay auth login --account work');
    expect(error.message).toContain('qwen-code');
  });
});
