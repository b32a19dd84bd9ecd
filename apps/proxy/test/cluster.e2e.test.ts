import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeQwen, faults, startFakeQwen } from '@qwen-relay/fake-qwen';
import { findFreePort } from '@qwen-relay/fake-qwen/testing';
import { createRedisStateStore, type StateStore } from '@qwen-relay/state-store';
import {
  type RedisServerHandle,
  skipRedisTests,
  startRedisServer,
} from '@qwen-relay/state-store/testing';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  importClusterCredentials,
  refreshLeaseKey,
  sharedCredentialsKey,
  writeClusterAccountsDocument,
} from '../src/index';
import { BUILT_PROXY_MAIN } from './support/load-built-proxy';
import { waitFor } from './support/start-test-environment';

interface Replica {
  child: ChildProcess;
  url: string;
  openai: OpenAI;
  logs: string[];
  exited: Promise<void>;
}

// three spawned proxies, a Redis and a fake on two cores: generous limits, never a perf assertion
describe.skipIf(skipRedisTests)(
  'cluster mode: three proxy processes on one real Redis',
  { timeout: 180_000 },
  () => {
    let redis: RedisServerHandle;
    let fake: FakeQwen;
    let admin: StateStore;
    let dir: string;
    let replicas: Replica[];

    beforeEach(async () => {
      redis = await startRedisServer();
      dir = await mkdtemp(join(tmpdir(), 'qwen-relay-cluster-'));
      replicas = [];
      admin = createRedisStateStore({ url: redis.url });
      await waitFor(() => admin.status().available);
    });
    afterEach(async () => {
      for (const replica of replicas) {
        if (replica.child.exitCode === null && replica.child.signalCode === null)
          replica.child.kill('SIGKILL');
        await replica.exited;
      }
      await admin.close();
      await fake?.close();
      await redis.stop();
      await rm(dir, { recursive: true, force: true });
    });

    async function startReplica(extraEnv: Record<string, string> = {}): Promise<Replica> {
      const port = await findFreePort();
      const index = replicas.length;
      const child = spawn(process.execPath, [BUILT_PROXY_MAIN], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: dir,
          PORT: String(port),
          QWEN_DIR: join(dir, `qwen-${index}`),
          STATE_DIR: join(dir, `state-${index}`),
          REDIS_URL: redis.url,
          QWEN_OAUTH_BASE_URL: fake.url,
          LOG_FORMAT: 'json',
          LOG_LEVEL: 'info',
          RETRY_BASE_DELAY_MS: '10',
          RETRY_MAX_DELAY_MS: '50',
          CREDENTIALS_CHECK_INTERVAL_MS: '200',
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const logs: string[] = [];
      child.stdout
        ?.setEncoding('utf8')
        .on('data', (text: string) => logs.push(...text.split('\n').filter(Boolean)));
      child.stderr?.setEncoding('utf8').on('data', (text: string) => logs.push(text));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const url = `http://127.0.0.1:${port}`;
      await waitFor(async () => (await fetch(`${url}/livez`).catch(() => undefined))?.ok === true, {
        timeoutInMs: 20_000,
      });
      const replica = {
        child,
        url,
        openai: new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 }),
        logs,
        exited,
      };
      replicas.push(replica);
      return replica;
    }

    /** `qwen-relay cluster import` in effect: the credentials and the accounts document. */
    async function importOAuthAccount({ expiresInSeconds }: { expiresInSeconds: number }) {
      const credentials = fake.issueCredentials({ expiresInSeconds });
      await importClusterCredentials({
        store: admin,
        accountId: 'team',
        credentials: { ...credentials },
        importedBy: 'test',
      });
      await writeClusterAccountsDocument({
        store: admin,
        entries: [{ id: 'team', type: 'qwen-oauth' }],
      });
      return credentials;
    }

    const ask = (replica: Replica, text: string) =>
      replica.openai.chat.completions.create({
        model: 'coder-model',
        messages: [{ role: 'user', content: text }],
      });

    it('refreshes once per expiry across the cluster under load, with no failed request', async () => {
      // 4 s tokens, refreshed 1 s before expiry: a refresh at most every ~3 s
      fake = await startFakeQwen({ accessTokenTtlInSeconds: 4 });
      await importOAuthAccount({ expiresInSeconds: 4 });
      for (let index = 0; index < 3; index++) await startReplica({ REFRESH_BUFFER_MS: '1000' });
      const startedAtInMs = Date.now();
      let failures = 0;
      for (let batch = 0; batch < 30; batch++) {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, index) =>
            ask(replicas[(batch * 10 + index) % 3]!, `b${batch} r${index}`),
          ),
        );
        failures += results.filter((result) => result.status === 'rejected').length;
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      const elapsedInMs = Date.now() - startedAtInMs;
      expect(failures).toBe(0);
      // no refresh token was ever spent twice (a rotated token is rejected by the fake)
      expect(fake.counters.refreshCalls).toBe(fake.counters.refreshSuccesses);
      expect(fake.counters.refreshCalls).toBeGreaterThanOrEqual(2);
      // one refresh per expiry: a new token lives ~3 s before the next refresh
      expect(fake.counters.refreshCalls).toBeLessThanOrEqual(Math.ceil(elapsedInMs / 3_000) + 1);
      // every refresh the fake answered is in the shared record: one answered just now may not be
      // written yet (the replica writes it right after the answer), so the two are compared until
      // they agree; a lost write never does
      await waitFor(
        async () => {
          const record = JSON.parse((await admin.get(sharedCredentialsKey('team')))!);
          return record.version === 1 + fake.counters.refreshSuccesses;
        },
        { timeoutInMs: 5_000, message: 'the shared record to hold every answered refresh' },
      );
    });

    it('counts a quota window once across replicas', async () => {
      fake = await startFakeQwen();
      const key = fake.issuePlanKey({ type: 'coding-plan' });
      await writeClusterAccountsDocument({
        store: admin,
        entries: [
          {
            id: 'cp-1',
            type: 'coding-plan',
            apiKey: key,
            baseUrl: fake.planBaseUrl('coding-intl'),
            limits: { '5h': 1_200 },
          },
        ],
      });
      for (let index = 0; index < 3; index++) await startReplica();
      // 1,200 requests round-robin, 30 at a time: the shared window spends 1,200, not 3,600
      for (let batch = 0; batch < 40; batch++) {
        await Promise.all(
          Array.from({ length: 30 }, (_, index) =>
            replicas[index % 3]!.openai.chat.completions.create({
              model: 'qwen3.6-plus',
              messages: [{ role: 'user', content: `q ${batch}-${index}` }],
            }),
          ),
        );
      }
      // a served request is counted after its answer (the increment is not awaited): the last
      // ones may reach Redis just after their clients read the responses
      const readUsed = async () => {
        const counters = await admin.listKeys('windows:cp-1:5h:');
        return (await admin.getMany(counters)).reduce((sum, value) => sum + Number(value), 0);
      };
      await waitFor(async () => (await readUsed()) >= 1_200);
      expect(await readUsed()).toBe(1_200);
      // every replica sees the shared count (refreshed from Redis) and stops sending
      for (const replica of replicas) {
        await waitFor(
          async () => {
            const health = (await (await fetch(`${replica.url}/health`)).json()) as {
              accounts: Array<{ windows?: Array<{ used: number; spent?: boolean }> }>;
            };
            return health.accounts[0]?.windows?.[0]?.spent === true;
          },
          { timeoutInMs: 15_000 },
        );
        await expect(
          replica.openai.chat.completions.create({
            model: 'qwen3.6-plus',
            messages: [{ role: 'user', content: 'more' }],
          }),
        ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
      }
    });

    it('keeps serving valid tokens while Redis restarts, then writes the lost state back', async () => {
      fake = await startFakeQwen();
      await importOAuthAccount({ expiresInSeconds: 3600 });
      for (let index = 0; index < 3; index++) await startReplica();
      for (const replica of replicas) await ask(replica, 'warm up');
      await redis.stop();
      let failures = 0;
      for (let request = 0; request < 30; request++) {
        await ask(replicas[request % 3]!, `during ${request}`).catch(() => {
          failures += 1;
        });
      }
      const downHealth = (await (await fetch(`${replicas[0]!.url}/health`)).json()) as {
        stateStore: { kind: string; available: boolean };
      };
      expect(downHealth.stateStore).toMatchObject({ kind: 'redis', available: false });
      const metrics = await (await fetch(`${replicas[0]!.url}/metrics`)).text();
      expect(metrics).toMatch(/^qwen_relay_redis_up 0$/m);
      await redis.start();
      // Redis came back empty (no persistence in the test): the replicas restore what they hold
      await waitFor(
        async () =>
          (await admin.get(sharedCredentialsKey('team')).catch(() => undefined)) !== undefined,
        {
          timeoutInMs: 20_000,
        },
      );
      await waitFor(
        async () => (await admin.get('cluster:accounts').catch(() => undefined)) !== undefined,
        {
          timeoutInMs: 20_000,
        },
      );
      for (let request = 0; request < 9; request++) {
        await ask(replicas[request % 3]!, `after ${request}`).catch(() => {
          failures += 1;
        });
      }
      expect(failures).toBe(0);
      expect(fake.counters.refreshCalls).toBe(0);
    });

    it('survives kill -9 of the lease holder mid-refresh without logging the account out', async () => {
      fake = await startFakeQwen();
      await importOAuthAccount({ expiresInSeconds: -10 });
      // the first token call hangs long enough to kill whoever made it
      fake.inject({
        ...faults.delayHeaders(60_000, { endpoint: 'token', grantType: 'refresh_token' }),
      });
      const [first, second] = [
        await startReplica({ REDIS_LEASE_MS: '2000' }),
        await startReplica({ REDIS_LEASE_MS: '2000' }),
      ];
      const pending = ask(first!, 'first').catch((error: unknown) => error);
      // the holder's token call has reached the upstream (and hangs there) when it is killed
      await waitFor(() => fake.counters.refreshCalls === 1, { timeoutInMs: 60_000 });
      const holder = (await admin.get(refreshLeaseKey('team')))!;
      expect(holder).toContain(`-${first!.child.pid}-`);
      first!.child.kill('SIGKILL');
      await pending;
      const answer = await ask(second!, 'second');
      expect(answer.choices[0]?.message.content).toBeTruthy();
      // the dead replica's call never reached a new token: the stored refresh token was still good
      expect(fake.counters.refreshSuccesses).toBe(1);
      const record = JSON.parse((await admin.get(sharedCredentialsKey('team')))!);
      expect(record.needsReauth).toBeUndefined();
      expect(record.version).toBe(2);
    });
  },
);
