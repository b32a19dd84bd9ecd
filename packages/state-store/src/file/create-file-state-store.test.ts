import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeStateStoreContract } from '../../test/state-store-contract';
import { createFileStateStore } from './create-file-state-store';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'qwen-relay-state-'));
});
afterEach(async () => {
  await chmod(directory, 0o700).catch(() => undefined);
  await rm(directory, { recursive: true, force: true });
});

describe('file state store', () => {
  describeStateStoreContract(async () => createFileStateStore({ directory, pollIntervalInMs: 20 }));

  it('survives a restart: a new store on the directory reads what the old one wrote', async () => {
    const first = createFileStateStore({ directory });
    await first.increment({ key: 'window:5h', by: 3, ttlInMs: 60_000 });
    await first.set({ key: 'cooldown', value: 'until-later' });
    await first.close();
    const second = createFileStateStore({ directory });
    expect(await second.getMany(['window:5h', 'cooldown'])).toEqual(['3', 'until-later']);
    await second.close();
  });

  it('shares counters and messages between two stores on one directory', async () => {
    const one = createFileStateStore({ directory, pollIntervalInMs: 20 });
    const two = createFileStateStore({ directory, pollIntervalInMs: 20 });
    const received: string[] = [];
    await two.subscribe({ channel: 'credentials', listener: (message) => received.push(message) });
    await Promise.all([
      ...Array.from({ length: 50 }, () => one.increment({ key: 'n' })),
      ...Array.from({ length: 50 }, () => two.increment({ key: 'n' })),
    ]);
    expect(await one.get('n')).toBe('100');
    await one.publish({ channel: 'credentials', message: 'v2' });
    await expect.poll(() => received, { timeout: 5_000 }).toEqual(['v2']);
    await one.close();
    await two.close();
  });

  it('writes the first mutation at once and batches the ones that follow within the interval', async () => {
    const writer = createFileStateStore({ directory, minBatchIntervalInMs: 60_000 });
    const reader = createFileStateStore({ directory });
    // after a quiet spell: written at once
    expect(await writer.increment({ key: 'n' })).toBe(1);
    expect(await reader.get('n')).toBe('1');
    // within the interval: queued, not yet in the file
    const pending = [
      writer.increment({ key: 'n' }),
      writer.increment({ key: 'n', by: 2 }),
      writer.set({ key: 'k', value: 'v' }),
    ];
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await reader.getMany(['n', 'k'])).toEqual(['1', undefined]);
    // a read in the writing process waits for what it queued (read-your-writes), in one batch
    expect(await writer.getMany(['n', 'k'])).toEqual(['4', 'v']);
    expect(await Promise.all(pending)).toEqual([2, 4, undefined]);
    expect(await reader.getMany(['n', 'k'])).toEqual(['4', 'v']);
    await writer.close();
    await reader.close();
  });

  it('writes what is queued on close without waiting out the interval', async () => {
    const writer = createFileStateStore({ directory, minBatchIntervalInMs: 60_000 });
    await writer.increment({ key: 'n' });
    const queued = writer.increment({ key: 'n', by: 9 });
    await writer.close();
    expect(await queued).toBe(10);
    const reader = createFileStateStore({ directory });
    expect(await reader.get('n')).toBe('10');
    await reader.close();
  });

  it('loses no increment when reads run while batches are written', async () => {
    // reads reload the file concurrently with writes; a read finishing after a write once left
    // stale content marked as current, and the next batch overwrote the increments before it
    const store = createFileStateStore({ directory });
    const keys = ['a', 'b', 'c'];
    const pending: Promise<unknown>[] = [];
    for (let round = 0; round < 120; round++) {
      for (const key of keys) pending.push(store.increment({ key }));
      // readers in flight all the time, started at every stage of the writes
      pending.push(store.getMany(keys), store.get('a'), store.listKeys(''));
      if (round % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    expect(await store.getMany(keys)).toEqual(['120', '120', '120']);
    await store.close();
    const reopened = createFileStateStore({ directory });
    expect(await reopened.getMany(keys)).toEqual(['120', '120', '120']);
    await reopened.close();
  });

  it('loses no increment between two OS processes on one directory', async () => {
    const worker = fileURLToPath(new URL('../../test/increment-worker.mjs', import.meta.url));
    const run = () =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [worker, directory, '150'], { stdio: 'inherit' });
        child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
      });
    await Promise.all([run(), run()]);
    const store = createFileStateStore({ directory });
    expect(await store.get('shared')).toBe('300');
    await store.close();
  });

  it('moves a corrupt state file aside, keeps it, warns and starts empty', async () => {
    await writeFile(join(directory, 'state.json'), '{ not json');
    const warnings: string[] = [];
    const store = createFileStateStore({
      directory,
      onWarning: (message) => warnings.push(message),
    });
    expect(await store.get('anything')).toBeUndefined();
    expect(await store.increment({ key: 'n' })).toBe(1);
    await store.close();
    const files = await readdir(directory);
    const aside = files.find((name) => name.startsWith('state.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(await readFile(join(directory, aside!), 'utf8')).toBe('{ not json');
    expect(warnings.join('\n')).toContain('could not be read');
  });

  it('takes over a lock whose owner process is dead, with a warning', async () => {
    await writeFile(
      join(directory, 'state.json.lock'),
      JSON.stringify({ id: 'x', pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() }),
    );
    const warnings: string[] = [];
    const store = createFileStateStore({
      directory,
      onWarning: (message) => warnings.push(message),
    });
    expect(await store.increment({ key: 'n' })).toBe(1);
    await store.close();
    expect(warnings.join('\n')).toContain('no longer running');
  });

  it.skipIf(process.getuid?.() === 0)(
    'reports an unwritable directory as unavailable, naming it',
    async () => {
      await chmod(directory, 0o500);
      const store = createFileStateStore({ directory });
      await expect(store.increment({ key: 'n' })).rejects.toMatchObject({
        code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
        message: expect.stringContaining(directory),
      });
      await store.close();
    },
  );

  it('reports a state directory that cannot be created as unavailable, naming it', async () => {
    const blocker = join(directory, 'a-file');
    await writeFile(blocker, 'x');
    const store = createFileStateStore({ directory: join(blocker, 'state') });
    await expect(store.set({ key: 'k', value: 'v' })).rejects.toMatchObject({
      code: 'QWEN_RELAY_STATE_STORE_UNAVAILABLE',
      message: expect.stringContaining(join(blocker, 'state')),
    });
    await store.close();
  });

  it('writes the state file 0600', async () => {
    const store = createFileStateStore({ directory });
    await store.set({ key: 'k', value: 'v' });
    await store.close();
    const { stat } = await import('node:fs/promises');
    expect((await stat(join(directory, 'state.json'))).mode & 0o777).toBe(0o600);
  });
});
