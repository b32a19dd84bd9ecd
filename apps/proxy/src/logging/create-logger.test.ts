import {
  type RelayEvent,
  redactSecrets,
  redactSecretsInValue,
  registerSecret,
  unregisterSecret,
} from '@qwen-relay/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger';
import { logRelayEvent } from './log-relay-event';

function createCapture() {
  const lines: string[] = [];
  return { lines, writeLine: (line: string) => lines.push(line) };
}

const fixedNow = () => new Date('2026-01-01T00:00:00.000Z');

describe('createLogger', () => {
  it('filters by level and writes pretty lines with fields', () => {
    const { lines, writeLine } = createCapture();
    const logger = createLogger({ level: 'info', format: 'pretty', writeLine, now: fixedNow });
    logger.debug('hidden');
    logger.info('Qwen access token refreshed successfully', { accountId: 'default', note: 'a b' });
    expect(lines).toEqual([
      '2026-01-01T00:00:00.000Z INFO  Qwen access token refreshed successfully  accountId=default note="a b"',
    ]);
    expect(logger.isLevelEnabled('debug')).toBe(false);
  });

  it('writes JSON lines with the same fields and redacts secrets everywhere', () => {
    const { lines, writeLine } = createCapture();
    const logger = createLogger({
      level: 'debug',
      format: 'json',
      writeLine,
      now: fixedNow,
    });
    registerSecret('proxy-key-42');
    try {
      logger.warn('upstream said Bearer qat_secret for proxy-key-42', {
        headers: { authorization: 'Bearer x' },
        body: 'echoed proxy-key-42',
      });
    } finally {
      unregisterSecret('proxy-key-42');
    }
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      time: '2026-01-01T00:00:00.000Z',
      level: 'warn',
      msg: 'upstream said Bearer [redacted] for [redacted]',
      headers: { authorization: '[redacted]' },
      body: 'echoed [redacted]',
    });
  });

  it('writes each JSON line exactly as one stringified object of time, level, msg and fields', () => {
    const { lines, writeLine } = createCapture();
    const logger = createLogger({ level: 'debug', format: 'json', writeLine, now: fixedNow });
    const fieldKey = fc.oneof(
      fc.constantFrom(
        'time',
        'level',
        'msg',
        'requestId',
        'stream',
        'token',
        '0',
        '17',
        '4294967295',
      ),
      fc.string({ maxLength: 8 }),
    );
    const fieldValue = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(undefined),
      fc.constant(null),
      fc.boolean(),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.integer())),
    );
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fieldKey, fieldValue), (message, fields) => {
        lines.length = 0;
        logger.info(message, fields);
        const expected = JSON.stringify({
          time: '2026-01-01T00:00:00.000Z',
          level: 'info',
          msg: redactSecrets(message),
          ...(redactSecretsInValue(fields) as Record<string, unknown>),
        });
        expect(lines).toEqual([expected]);
      }),
      { numRuns: 1000 },
    );
  });

  it('writes an access line exactly as info or debug writes its message and fields', () => {
    const secret = 'sk-sp-0123456789abcdef0123';
    // what reaches an access line from outside: the method, the path, a client's request id
    const clientText = fc.oneof(
      fc.string(),
      fc.constantFrom(
        '/v1/chat/completions',
        `/v1/models/${secret}`,
        '/v1/x"y\\z',
        'Bearer qat_abcdefghijklmnop',
        secret,
        'a b=c',
        '\u00e9\ud83d\ude00',
      ),
    );
    const line = fc.record({
      level: fc.constantFrom('debug' as const, 'info' as const),
      method: fc.oneof(fc.constantFrom('GET', 'POST', 'OPTIONS'), clientText),
      path: clientText,
      status: fc.integer({ min: 100, max: 599 }),
      durationInMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
      requestId: fc.oneof(fc.uuid(), clientText),
      stream: fc.option(
        fc.oneof(fc.constantFrom('completed', 'client-aborted', 'truncated'), clientText),
        { nil: undefined },
      ),
    });
    registerSecret(secret);
    try {
      for (const format of ['json', 'pretty'] as const) {
        const viaAccess = createCapture();
        const viaLog = createCapture();
        const accessLogger = createLogger({
          level: 'debug',
          format,
          writeLine: viaAccess.writeLine,
          now: fixedNow,
        });
        const logLogger = createLogger({
          level: 'debug',
          format,
          writeLine: viaLog.writeLine,
          now: fixedNow,
        });
        fc.assert(
          fc.property(line, (access) => {
            viaAccess.lines.length = 0;
            viaLog.lines.length = 0;
            accessLogger.access(access);
            logLogger[access.level](
              `${access.method} ${access.path} ${access.status} ${Math.round(access.durationInMs)}ms`,
              {
                requestId: access.requestId,
                ...(access.stream === undefined ? {} : { stream: access.stream }),
              },
            );
            expect(viaAccess.lines).toEqual(viaLog.lines);
            expect(viaAccess.lines.join('')).not.toContain(secret);
          }),
          { numRuns: 2000 },
        );
      }
    } finally {
      unregisterSecret(secret);
    }
  });

  it('leaves out an access line below its level', () => {
    const { lines, writeLine } = createCapture();
    const logger = createLogger({ level: 'info', format: 'json', writeLine, now: fixedNow });
    const access = { method: 'GET', path: '/health', status: 200, durationInMs: 1, requestId: 'r' };
    logger.access({ ...access, level: 'debug' });
    expect(lines).toEqual([]);
    logger.access({ ...access, level: 'info' });
    expect(lines).toEqual([
      '{"time":"2026-01-01T00:00:00.000Z","level":"info","msg":"GET /health 200 1ms","requestId":"r"}',
    ]);
  });

  it('is silent at level silent', () => {
    const { lines, writeLine } = createCapture();
    createLogger({ level: 'silent', format: 'json', writeLine }).error('x');
    expect(lines).toEqual([]);
  });
});

describe('logRelayEvent', () => {
  it('prints the docs/design.md §7 messages for token and client events', () => {
    const { lines, writeLine } = createCapture();
    const logger = createLogger({ level: 'debug', format: 'json', writeLine, now: fixedNow });
    const requestId = 'r1';
    const events: RelayEvent[] = [
      { type: 'token-served', accountId: 'default', expiresAtInMs: 1 },
      { type: 'refresh-started', accountId: 'default', reason: 'expiring' },
      { type: 'refresh-succeeded', accountId: 'default', expiresAtInMs: 1, durationInMs: 2 },
      { type: 'auth-error-detected', accountId: 'default', status: 504, requestId },
      { type: 'auth-retry', accountId: 'default', refreshed: true, requestId },
      { type: 'auth-retry-succeeded', accountId: 'default', requestId },
      { type: 'auth-retry-failed', accountId: 'default', code: 'X', requestId },
    ];
    for (const event of events) logRelayEvent({ logger, event });
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual([
      'Using valid Qwen access token',
      'Qwen access token expired or expiring soon, refreshing...',
      'Refreshing Qwen access token...',
      'Qwen access token refreshed successfully',
      'Detected auth error (504), attempting token refresh and retry...',
      'Retrying request with refreshed token...',
      'Request succeeded after token refresh',
      'Request failed even after token refresh',
    ]);
    expect(JSON.parse(lines[3] ?? '')).toMatchObject({
      event: 'refresh-succeeded',
      accountId: 'default',
      durationInMs: 2,
    });
  });

  it('prints the credentials-hardening events with their typed fields', () => {
    const { lines, writeLine } = createCapture();
    const logger = createLogger({ level: 'debug', format: 'json', writeLine, now: fixedNow });
    const credentialsPath = '/home/u/.qwen/oauth_creds.json';
    const events: RelayEvent[] = [
      {
        type: 'lock-stale-removed',
        accountId: 'default',
        lockPath: `${credentialsPath}.lock`,
        ageInMs: 1,
        reason: 'dead-owner',
        ownerPid: 4242,
      },
      {
        type: 'persist-failed',
        accountId: 'default',
        credentialsPath,
        errnoCode: 'ENOSPC',
        message: 'm',
        attempt: 1,
        retryInMs: 5,
      },
      {
        type: 'persist-recovered',
        accountId: 'default',
        credentialsPath,
        outcome: 'superseded',
        attempts: 2,
      },
      {
        type: 'interrupted-write-recovered',
        accountId: 'default',
        credentialsPath,
        tempPath: `${credentialsPath}.tmp`,
        backupPath: `${credentialsPath}.bak`,
      },
      {
        type: 'credentials-dir-unwritable',
        accountId: 'default',
        directory: '/home/u/.qwen',
        errnoCode: 'EACCES',
        message: 'The credentials directory /home/u/.qwen is not writable',
      },
    ];
    for (const event of events) logRelayEvent({ logger, event });
    const messages = lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages).toEqual([
      'Removed a credentials lock left by a process of ours that is no longer running',
      `Could not save refreshed Qwen credentials to ${credentialsPath} (ENOSPC): kept in memory, retrying; fix it before the proxy stops or the next start needs a new login`,
      'Unsaved Qwen credentials superseded by newer ones in the credentials file',
      `Recovered Qwen credentials from an interrupted write: adopted ${credentialsPath}.tmp, previous file kept as ${credentialsPath}.bak`,
      'The credentials directory /home/u/.qwen is not writable',
    ]);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ reason: 'dead-owner', ownerPid: 4242 });
  });
});
