// Imports every built package the way a consumer would: plain Node ESM resolution through each
// package's `exports` map (no bundler, no vitest transform), then type-checks a consumer file with
// `moduleResolution: NodeNext` so the published `types` entries are proven to resolve too.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** package → names its public entry must export (a sample, enough to catch a broken build) */
const expectedExports = {
  '@qwen-relay/contracts': [
    'QwenRelayError',
    'isQwenRelayError',
    'ERROR_CODES',
    'redactSecrets',
    'registerSecret',
  ],
  '@qwen-relay/contracts/node': ['isProcessAlive'],
  '@qwen-relay/token-manager': [
    'createQwenOAuthTokenManager',
    'createApiKeyTokenSource',
    'startDeviceAuthorization',
    'discoverQwenAccounts',
  ],
  '@qwen-relay/token-manager/internal': ['acquireFileLock', 'inspectLock', 'requestTokenRefresh'],
  '@qwen-relay/qwen-client': ['createQwenClient'],
  '@qwen-relay/openai-adapter': [
    'parseChatCompletionRequest',
    'createChatStreamTransform',
    'convertErrorToOpenAIError',
  ],
  '@qwen-relay/openai-adapter/internal': [
    'repairToolCallChunk',
    'restoreChatStreamTransform',
    'getContextWindow',
  ],
  '@qwen-relay/openai-adapter/sse-transform-task': ['default'],
  '@qwen-relay/fake-qwen': ['startFakeQwen', 'faults'],
  '@qwen-relay/proxy': ['startProxy', 'parseProxyConfig'],
  '@qwen-relay/state-store': [
    'createStateStore',
    'createFileStateStore',
    'createRedisStateStore',
    'holdLease',
  ],
};

for (const [specifier, names] of Object.entries(expectedExports)) {
  test(`${specifier} imports from its built entry with its public names`, async () => {
    const module = await import(specifier);
    for (const name of names) {
      assert.ok(name in module, `${specifier} does not export ${name}`);
    }
  });
}

test('published packages declare ESM, types first in exports, engines and no side effects', () => {
  for (const name of [
    '@qwen-relay/contracts',
    '@qwen-relay/token-manager',
    '@qwen-relay/qwen-client',
    '@qwen-relay/openai-adapter',
    '@qwen-relay/state-store',
  ]) {
    const manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
    assert.equal(manifest.type, 'module', name);
    assert.equal(manifest.sideEffects, false, name);
    assert.ok(manifest.engines?.node, `${name} declares engines.node`);
    const root = manifest.exports['.'];
    assert.deepEqual(Object.keys(root)[0], 'types', `${name}: types condition comes first`);
    assert.ok(!manifest.private, `${name} is publishable`);
  }
});

test('a TypeScript consumer with NodeNext resolution type-checks against the built .d.ts files', () => {
  const tsc = join(here, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', join(here, 'consumer', 'tsconfig.json')], {
      stdio: 'pipe',
      encoding: 'utf8',
    });
  } catch (error) {
    // tsc prints its diagnostics on stdout; show them instead of only the exit status
    assert.fail(`tsc failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }
});

test('the qwen-relay binary prints its version', () => {
  const bin = join(here, '..', '..', 'apps', 'cli', 'dist', 'main.js');
  const output = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim();
  const { version } = JSON.parse(
    readFileSync(join(here, '..', '..', 'apps', 'cli', 'package.json'), 'utf8'),
  );
  assert.ok(output.includes(version), `expected ${version} in "${output}"`);
});
