import { describe, expect, it } from 'vitest';
import { createBufferedOutput } from '../output/output-stream';
import { runCli } from './run-cli';

async function run(args: string[], env: NodeJS.ProcessEnv = { NO_COLOR: '1' }) {
  const stdout = createBufferedOutput();
  const stderr = createBufferedOutput();
  const code = await runCli({
    argv: ['node', 'qwen-relay', ...args],
    version: '1.2.3',
    env: { QWEN_DIR: '/nonexistent/qwen-relay-test', ...env },
    stdout,
    stderr,
    now: Date.now,
    interactive: false,
    confirm: async () => false,
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe('runCli', () => {
  it('--version prints the version', async () => {
    expect(await run(['--version'])).toEqual({ code: 0, stdout: '1.2.3\n', stderr: '' });
  });

  it.each([
    [[]],
    [['auth']],
    [['auth', 'login']],
    [['auth', 'status']],
    [['auth', 'refresh']],
    [['auth', 'list']],
    [['auth', 'add']],
    [['auth', 'remove']],
    [['auth', 'import']],
    [['auth', 'logout']],
    [['doctor']],
  ])('%j --help shows usage and examples', async (command) => {
    const { code, stdout } = await run([...command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: qwen-relay/);
    expect(stdout).toContain('Examples:\n  $ qwen-relay');
  });

  it('an unknown option is a usage error (exit 2) with a pointer to --help', async () => {
    const { code, stderr } = await run(['auth', 'status', '--jsn']);
    expect(code).toBe(2);
    expect(stderr).toContain("error: unknown option '--jsn'");
    expect(stderr).toContain('(run with --help for usage)');
  });

  it('a bad --oauth-base-url is one sentence and an example', async () => {
    const { code, stderr } = await run(['auth', 'status', '--oauth-base-url', 'chat.qwen.ai']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'Error: "chat.qwen.ai" is not an http(s) URL (QWEN_OAUTH_BASE_URL / --oauth-base-url).\nFor example: https://chat.qwen.ai\n',
    );
  });

  it('colors only when asked: NO_COLOR and --no-color win over FORCE_COLOR', async () => {
    const colored = await run(['auth', 'status'], { FORCE_COLOR: '1' });
    expect(colored.stdout).toMatch(/\u001b\[/);
    expect((await run(['auth', 'status'], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toMatch(
      /\u001b\[/,
    );
    expect((await run(['auth', 'status', '--no-color'], { FORCE_COLOR: '1' })).stdout).not.toMatch(
      /\u001b\[/,
    );
  });

  it('--qwen-dir wins over QWEN_DIR', async () => {
    const { stdout } = await run([
      'auth',
      'status',
      '--json',
      '--qwen-dir',
      '/tmp/elsewhere-qwen-relay',
    ]);
    expect(JSON.parse(stdout).qwenDir).toBe('/tmp/elsewhere-qwen-relay');
  });
});
