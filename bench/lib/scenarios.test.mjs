import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBenchOptions } from './bench-options.mjs';
import { BASE_FAKE_STREAM, createScenarios } from './scenarios.mjs';

const optionsOf = (argv) => parseBenchOptions({ argv, env: {} });

for (const argv of [[], ['--quick'], ['--paced-1000-interval-ms', '20']]) {
  test(`every scenario sets the whole stream shape, so none inherits the previous one's (${argv.join(' ') || 'defaults'})`, () => {
    for (const scenario of createScenarios(optionsOf(argv))) {
      for (const field of Object.keys(BASE_FAKE_STREAM)) {
        assert.equal(
          typeof scenario.fakeStream[field],
          'number',
          `${scenario.name} leaves fakeStream.${field} to whatever the scenario before it set`,
        );
      }
    }
  });
}

test('a scenario after stream-large streams the base chunk size, not its 2 KiB', () => {
  const scenarios = createScenarios(optionsOf([]));
  const names = scenarios.map((scenario) => scenario.name);
  const large = scenarios[names.indexOf('stream-large')];
  assert.equal(large.fakeStream.chunkSize, 2048);
  // what the fake holds after each scenario's configure, which merges into its settings
  let fakeStream = {};
  for (const scenario of scenarios.slice(names.indexOf('stream-large'))) {
    fakeStream = { ...fakeStream, ...scenario.fakeStream };
    if (scenario.name === 'stream-large') continue;
    assert.equal(fakeStream.chunkSize, BASE_FAKE_STREAM.chunkSize, scenario.name);
  }
});

test('the shapes the scenarios ask for are kept over the base', () => {
  const byName = new Map(
    createScenarios(optionsOf([])).map((scenario) => [scenario.name, scenario]),
  );
  assert.deepEqual(byName.get('stream-256').fakeStream, {
    chunkCount: 256,
    chunkSize: 6,
    chunkDelayInMs: 0,
  });
  assert.deepEqual(byName.get('paced-50').fakeStream, {
    chunkCount: 64,
    chunkSize: 6,
    chunkDelayInMs: 20,
  });
  assert.deepEqual(byName.get('responses-stream-8').fakeStream, BASE_FAKE_STREAM);
});
