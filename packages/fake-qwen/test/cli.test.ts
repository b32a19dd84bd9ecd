import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPkcePair } from '../src/oauth/pkce';
import { chatBody, pollDeviceToken, requestDeviceCode } from './helpers';

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
let buildDir: string;
let cliPath: string;
const children: ChildProcess[] = [];

// bundle the current source (no type declarations, ~0.3 s) so the test never runs a stale dist/
beforeAll(async () => {
  buildDir = await mkdtemp(join(tmpdir(), 'fake-qwen-cli-'));
  const require = createRequire(import.meta.url);
  const tsupCli = join(dirname(require.resolve('tsup/package.json')), 'dist/cli-default.js');
  await promisify(execFile)(
    process.execPath,
    [
      tsupCli,
      'src/cli.ts',
      '--no-config',
      '--format',
      'esm',
      '--target',
      'node20',
      '--out-dir',
      buildDir,
    ],
    { cwd: packageDir },
  );
  cliPath = join(buildDir, 'cli.js');
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(() => rm(buildDir, { recursive: true, force: true }));

/** Spawns the CLI and resolves with the lines it printed once `count` lines arrived. */
function startCli(
  args: string[],
  count: number,
): Promise<{ child: ChildProcess; lines: string[] }> {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stderr!.on('data', (data: Buffer) => {
      errors += data.toString();
    });
    child.stdout!.on('data', (data: Buffer) => {
      output += data.toString();
      const lines = output.split('\n').filter(Boolean);
      if (lines.length >= count) resolve({ child, lines });
    });
    child.once('exit', (code) => reject(new Error(`cli exited with ${code}: ${errors}`)));
  });
}

describe('fake-qwen command', () => {
  it('starts on --port 0, prints its URL, serves chat with written credentials, stops on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-qwen-creds-'));
    try {
      const { child, lines } = await startCli(
        [
          '--port',
          '0',
          '--write-credentials',
          dir,
          '--chunk-count',
          '2',
          '--chunk-size',
          '3',
          '--ttl',
          '600',
        ],
        2,
      );
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0]!)?.[1];
      expect(url).toBeDefined();
      const path = /credentials written to (.+)$/.exec(lines[1]!)?.[1];
      expect(path).toBe(join(dir, 'oauth_creds.json'));
      const credentials = JSON.parse(await readFile(path!, 'utf8')) as {
        access_token: string;
        resource_url: string;
        expiry_date: number;
      };
      expect(credentials.resource_url).toBe(url);
      expect(credentials.expiry_date).toBeLessThanOrEqual(Date.now() + 600_000);
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${credentials.access_token}` },
        body: JSON.stringify(chatBody({ stream: false })),
      });
      expect(response.status).toBe(200);
      const completion = (await response.json()) as {
        choices: Array<{ message: { content: string } }>;
        usage: { completion_tokens: number };
      };
      expect(completion.usage.completion_tokens).toBe(2);
      expect(completion.choices[0]!.message.content).toBe('Hello ');
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('serves embeddings and auto-approves when asked, and rejects bad flags', async () => {
    const { lines } = await startCli(['--port', '0', '--embeddings', '--auto-approve'], 1);
    const url = /listening on (\S+)$/.exec(lines[0]!)?.[1] ?? 'missing-url';
    // --embeddings: the route exists (401 without a bearer instead of 404)
    const embeddings = await fetch(`${url}/v1/embeddings`, { method: 'POST', body: '{}' });
    expect(embeddings.status).toBe(401);
    // --auto-approve: the first poll already gets tokens
    const pair = createPkcePair();
    const device = await requestDeviceCode({ url }, pair.codeChallenge);
    const tokens = await pollDeviceToken({ url }, device.body.device_code, pair.codeVerifier);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ resource_url: url });
    const bad = spawn(process.execPath, [cliPath, '--chunk-count', 'many'], { stdio: 'ignore' });
    children.push(bad);
    expect(await new Promise((resolve) => bad.once('exit', resolve))).toBe(2);
  });
});
