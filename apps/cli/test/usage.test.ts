import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlanWindowTracker, createUsageRecorder } from '@qwen-relay/proxy';
import { createFileStateStore } from '@qwen-relay/state-store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderWindowBar } from '../src/commands/usage';
import { runInProcess } from './helpers/create-test-io';

describe('qwen-relay usage', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'qwen-relay-usage-'));
    const accountsPath = join(dir, 'accounts.json');
    await writeFile(
      accountsPath,
      JSON.stringify({
        accounts: [
          {
            id: 'cp-1',
            type: 'coding-plan',
            apiKey: 'sk-sp-test-key-0123456789',
            tier: 'lite',
            limits: { '5h': 10 },
          },
        ],
      }),
      { mode: 0o600 },
    );
    env = { QWEN_DIR: dir, STATE_DIR: join(dir, 'state'), QWEN_RELAY_ACCOUNTS: accountsPath };
    // what a running proxy would have recorded
    const store = createFileStateStore({ directory: join(dir, 'state') });
    const usage = createUsageRecorder({ store });
    await usage.record({
      client: 'alice',
      accountId: 'cp-1',
      model: 'qwen3.6-plus',
      promptTokens: 120,
      completionTokens: 30,
      cachedTokens: 64,
    });
    await usage.record({
      client: 'ci',
      accountId: 'cp-1',
      model: 'qwen3.6-plus',
      promptTokens: 5,
      completionTokens: 1,
    });
    const tracker = createPlanWindowTracker({ store });
    tracker.configure([{ accountId: 'cp-1', limits: { '5h': 10 } }]);
    for (let index = 0; index < 4; index++) await tracker.record('cp-1');
    tracker.close();
    await store.close();
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints usage per client, account and model, and the windows as bars', async () => {
    const { code, stdout } = await runInProcess({ args: ['usage'], env });
    expect(code).toBe(0);
    expect(stdout).toMatch(/alice\s+cp-1\s+qwen3\.6-plus\s+1\s+120\s+30\s+64/);
    expect(stdout).toMatch(/ci\s+cp-1\s+qwen3\.6-plus\s+1\s+5\s+1\s+0/);
    expect(stdout).toContain(`5h  ${renderWindowBar({ used: 4, limit: 10 })} 4/10`);
    expect(stdout).toMatch(/7d .* 4\/9000/);
    expect(stdout).not.toContain('sk-sp-test-key');
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await runInProcess({ args: ['usage', '--json'], env });
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout);
    expect(parsed.store).toBe('file');
    expect(parsed.usage).toHaveLength(2);
    expect(parsed.windows['cp-1'][0]).toMatchObject({
      name: '5h',
      used: 4,
      limit: 10,
      spent: false,
    });
  });

  it('draws a bar a person reads at a glance', () => {
    expect(renderWindowBar({ used: 0, limit: 10 })).toBe('░'.repeat(20));
    expect(renderWindowBar({ used: 5, limit: 10 })).toBe(`${'█'.repeat(10)}${'░'.repeat(10)}`);
    expect(renderWindowBar({ used: 12, limit: 10 })).toBe('█'.repeat(20));
  });
});
