import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_ARMS } from './bench-options.mjs';
import { PAIRED_CPU_TARGETS, selectPairedTargets, selectSlopePairs } from './paired-phase.mjs';
import { createScenarios } from './scenarios.mjs';

const scenarios = createScenarios({ durationInS: 3, latencyRate: 500, paced1000IntervalInMs: 100 });

test('every paired CPU target names a scenario of the bench that has both its arms', () => {
  for (const { scenario, arms } of PAIRED_CPU_TARGETS) {
    const declared = scenarios.find((candidate) => candidate.name === scenario);
    assert.ok(declared, `${scenario} is a scenario`);
    for (const arm of arms) assert.ok(declared.arms.includes(arm), `${scenario} has ${arm}`);
  }
});

test('only the pairs whose scenario ran and whose arms were selected are measured', () => {
  const all = selectPairedTargets({
    scenarios,
    ran: scenarios.map((scenario) => scenario.name),
    arms: ALL_ARMS,
  });
  assert.equal(all.length, PAIRED_CPU_TARGETS.length);
  const some = selectPairedTargets({
    scenarios,
    ran: ['chat', 'responses-stream-8'],
    arms: ['floor', 'proxy'],
  });
  assert.deepEqual(
    some.map(({ scenario, arms }) => [scenario.name, arms]),
    [['chat', ['floor', 'proxy']]],
  );
});

test('a translated protocol with both stream lengths among the pairs gets its slope measured', () => {
  const pairs = selectPairedTargets({
    scenarios,
    ran: scenarios.map((scenario) => scenario.name),
    arms: ALL_ARMS,
  });
  const slopes = selectSlopePairs(pairs);
  assert.deepEqual(
    slopes.map(({ protocol, short, long, arms }) => [protocol, short.name, long.name, arms]),
    [
      ['responses', 'responses-stream-8', 'responses-stream-64', ['proxy-chat', 'proxy']],
      ['messages', 'messages-stream-8', 'messages-stream-64', ['proxy-chat', 'proxy']],
    ],
  );
  // the two lengths differ in the fake's chunk count only
  for (const { short, long } of slopes) {
    assert.equal(short.fakeStream.chunkCount, 8);
    assert.equal(long.fakeStream.chunkCount, 64);
    assert.deepEqual({ ...short.fakeStream, chunkCount: 0 }, { ...long.fakeStream, chunkCount: 0 });
    assert.deepEqual(short.phases, long.phases);
  }
  // one length alone: nothing
  assert.deepEqual(
    selectSlopePairs(pairs.filter(({ scenario }) => scenario.name !== 'messages-stream-64')).map(
      ({ protocol }) => protocol,
    ),
    ['responses'],
  );
});
