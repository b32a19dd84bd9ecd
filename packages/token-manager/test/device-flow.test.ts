import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isQwenRelayError } from '@qwen-relay/contracts';
import { type FakeQwen, startFakeQwen } from '@qwen-relay/fake-qwen';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQwenOAuthTokenManager } from '../src/manager/create-qwen-oauth-token-manager';
import { startDeviceAuthorization } from '../src/oauth/start-device-authorization';
import { saveCredentials } from '../src/store/save-credentials';
import { createTempDir } from './support/create-temp-dir';

describe('device flow against fake-qwen', () => {
  let fake: FakeQwen;
  let temp: Awaited<ReturnType<typeof createTempDir>>;
  beforeEach(async () => {
    fake = await startFakeQwen({ slowDownStatus: 429 });
    temp = await createTempDir();
  });
  afterEach(async () => {
    await fake.close();
    await temp.remove();
  });

  /** Polls without real waiting: the injected sleep only counts. */
  const fastSleep = async () => undefined;

  it('logs in, saves under a named account (0600, under the lock) and the manager uses it', async () => {
    const authorization = await startDeviceAuthorization({
      oauthBaseUrl: fake.url,
      sleep: fastSleep,
    });
    expect(fake.userCodes).toContain(authorization.userCode);
    const polls: string[] = [];
    const credentials = await authorization.pollForCredentials({
      onPoll: ({ state, attempt }) => {
        polls.push(state);
        // the user approves in the browser after the second pending poll
        if (attempt === 2) fake.approve(authorization.userCode);
      },
    });
    expect(polls).toEqual(['pending', 'pending']);
    expect(fake.counters.devicePollCalls).toBe(3);

    const qwenDir = join(temp.path, '.qwen');
    const path = await saveCredentials({ qwenDir, accountId: 'work', credentials });
    expect(path).toBe(join(qwenDir, 'oauth_creds_work.json'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(qwenDir)).mode & 0o777).toBe(0o700);
    const onDisk = JSON.parse(await readFile(path, 'utf8'));
    expect(onDisk).toMatchObject({ token_type: 'Bearer', resource_url: fake.url });
    expect(fake.isRefreshTokenValid(onDisk.refresh_token)).toBe(true);

    const manager = createQwenOAuthTokenManager({
      accountId: 'work',
      credentialsPath: path,
      oauthBaseUrl: fake.url,
      proactiveRefresh: false,
    });
    try {
      expect((await manager.getAccessToken()).accessToken).toBe(credentials.access_token);
    } finally {
      await manager.close();
    }
  });

  it('backs off on the fake slow_down (429) and reports denial', async () => {
    fake.configure({ devicePollMinIntervalInMs: 60_000 });
    const sleeps: number[] = [];
    const authorization = await startDeviceAuthorization({
      oauthBaseUrl: fake.url,
      sleep: async (delayInMs) => {
        sleeps.push(delayInMs);
        if (sleeps.length === 3) {
          fake.configure({ devicePollMinIntervalInMs: 0 });
          fake.deny(authorization.userCode);
        }
      },
    });
    const error = await authorization.pollForCredentials().catch((caught: unknown) => caught);
    // first poll pending, then slow_down every time: 2 s → 3 s → 4.5 s, then denied
    expect(sleeps).toEqual([2_000, 3_000, 4_500]);
    expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_DEVICE_FLOW_DENIED');
  });

  it('reports an expired device code', async () => {
    const authorization = await startDeviceAuthorization({
      oauthBaseUrl: fake.url,
      sleep: fastSleep,
    });
    fake.expireDeviceCode(authorization.userCode);
    const error = await authorization.pollForCredentials().catch((caught: unknown) => caught);
    expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_DEVICE_FLOW_EXPIRED');
  });

  it('fails clearly when the device endpoint answers HTML (shutdown mode)', async () => {
    fake.configure({ shutdownMode: true });
    const error = await startDeviceAuthorization({ oauthBaseUrl: fake.url }).catch(
      (caught: unknown) => caught,
    );
    expect(isQwenRelayError(error) && error.code).toBe('QWEN_RELAY_DEVICE_FLOW_FAILED');
  });
});
