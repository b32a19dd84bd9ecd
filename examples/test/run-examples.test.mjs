// Runs every example to completion against fake-qwen, so the examples cannot rot: each must exit
// with 0 and print the lines that show it did what its comment says.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const examplesDirectory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What each example must print; an example missing here fails the suite. */
const EXPECTED_OUTPUT = {
  'contracts.mjs': [
    'QWEN_RELAY_LOCK_TIMEOUT → 503 server_error/lock_timeout (Anthropic api_error)',
    'recognised after structuredClone: true',
    'by shape only: upstream said: token 3f9c2a71b0d4e8f6a5c3 is not allowed; Authorization: Bearer [redacted]',
    'by value too: upstream said: token [redacted] is not allowed; Authorization: Bearer [redacted]',
  ],
  'cli.mjs': ['Logged in.', 'credentials file mode: 600', 'account default: valid'],
  'openai-adapter.mjs': [
    'invalid request → 400 invalid_request_error (param messages)',
    '"enable_thinking":true,"thinking_budget":1024',
    'data: [DONE]',
    'stream end: done',
  ],
  'proxy.mjs': [
    'non-streaming: Hello from the fake Qwen',
    'streaming: Hello from the fake Qwen',
    'upstream refreshes: 1',
  ],
  'qwen-client.mjs': [
    'answer after 3 attempts: json 200',
    'refresh calls: 1',
    'stream ended: completed',
  ],
  'state-store.mjs': [
    'store kind: file',
    'requests in the window: 3',
    'replica-a holds the lease: true',
    'replica-b holds the lease: false',
    'compare-and-set from version 1: true, again with the stale version: false',
  ],
  'token-manager.mjs': [
    'same token for all callers: true',
    'refresh calls after three callers: 1',
    'refresh calls after the 401: 2',
    'state: ok',
    'file holds the rotated token: true',
  ],
};

const examples = readdirSync(examplesDirectory).filter((name) => name.endsWith('.mjs'));

describe('examples', () => {
  it('has an expectation for every example and an example for every expectation', () => {
    assert.deepEqual(examples.toSorted(), Object.keys(EXPECTED_OUTPUT).toSorted());
  });

  for (const example of examples) {
    it(`runs ${example} to completion`, async () => {
      const { stdout } = await run(process.execPath, [path.join(examplesDirectory, example)], {
        cwd: examplesDirectory,
        env: { ...process.env, NO_COLOR: '1' },
      });
      for (const expected of EXPECTED_OUTPUT[example] ?? []) {
        assert.ok(stdout.includes(expected), `${example} printed no "${expected}":\n${stdout}`);
      }
    });
  }
});
