import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** True when a `redis-server` binary is on PATH. */
export const hasRedisServer =
  spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Redis tests run whenever redis-server exists and are required in CI (`.ci/run` installs it);
 * on a developer machine without it they are skipped with a message rather than failing.
 */
export const skipRedisTests = !hasRedisServer && process.env.CI !== 'true';
if (skipRedisTests) {
  console.warn('redis-server not found: Redis state-store tests skipped (CI installs it)');
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** For tests of packages using the store: a real redis-server on a loopback port, without persistence; restartable on the same port. */
export interface RedisServerHandle {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** Starts redis-server on 127.0.0.1 and a free port; `stop()` ends it. */
export async function startRedisServer(): Promise<RedisServerHandle> {
  const port = await findFreePort();
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const process_ = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = process_;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          process_.stdout?.off('data', onData);
          resolve();
        }
      };
      process_.stdout?.on('data', onData);
      process_.once('exit', (code) =>
        reject(new Error(`redis-server exited (${code}): ${output}`)),
      );
    });
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}/0`, port, stop, start };
}
