import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateTargets } from './evaluate-targets.mjs';

const PER_CHUNK = 'responses stream CPU per added chunk vs the chat path (8 → 64 chunks)';

function streams({ proxy8, proxy64, chat8, chat64 }) {
  const arm = (cpuPerRequestInUs) => ({ cpuPerRequestInUs, requestsPerS: 1000 });
  return {
    'responses-stream-8': { proxy: arm(proxy8), 'proxy-chat': arm(chat8) },
    'responses-stream-64': { proxy: arm(proxy64), 'proxy-chat': arm(chat64) },
  };
}

const find = (targets, name) => targets.find((target) => target.name === name);

test('the per-chunk ratio is the slope of each arm between 8 and 64 chunks', () => {
  // fixed costs differ (the Responses stream's own events), chunks cost the same: 1.0
  const equal = find(
    evaluateTargets(streams({ proxy8: 240, proxy64: 352, chat8: 180, chat64: 292 })),
    PER_CHUNK,
  );
  assert.equal(equal.value, 1);
  assert.equal(equal.pass, true);
  // 2.4 µs against 2 µs per chunk: 1.2, over the limit
  const dearer = find(
    evaluateTargets(streams({ proxy8: 200, proxy64: 334.4, chat8: 180, chat64: 292 })),
    PER_CHUNK,
  );
  assert.ok(Math.abs(dearer.value - 1.2) < 1e-9);
  assert.equal(dearer.pass, false);
});

test('a slope lost in noise is not measured, never a pass', () => {
  const noisy = find(
    evaluateTargets(streams({ proxy8: 240, proxy64: 230, chat8: 180, chat64: 292 })),
    PER_CHUNK,
  );
  assert.equal(noisy.value, null);
  assert.equal(noisy.pass, null);
});

test('without the 64-chunk stream there is no per-chunk row', () => {
  const summaries = streams({ proxy8: 240, proxy64: 352, chat8: 180, chat64: 292 });
  delete summaries['responses-stream-64'];
  assert.equal(find(evaluateTargets(summaries), PER_CHUNK), undefined);
});

const pairedRow = (cpuPerRequestInUs, ratioToReference) => ({
  cpuPerRequestInUs,
  ratioToReference,
});

test('a CPU target measured paired is held to the paired ratio; the ratio of arms in turn is information', () => {
  const summaries = {
    chat: {
      floor: { cpuPerRequestInUs: 100, requestsPerS: 1000 },
      proxy: { cpuPerRequestInUs: 182, requestsPerS: 600 },
    },
  };
  const paired = {
    chat: { reference: 'floor', arms: { floor: pairedRow(100, 1), proxy: pairedRow(121, 1.21) } },
  };
  const targets = evaluateTargets(summaries, { paired });
  const inTurn = targets.find(
    (target) => target.name === 'non-streaming CPU per request vs floor' && target.arm === 'proxy',
  );
  assert.equal(inTurn.value, 1.82);
  assert.equal(inTurn.pass, null);
  assert.equal(inTurn.informational, true);
  const held = find(targets, 'non-streaming CPU per request vs floor, paired');
  assert.equal(held.value, 1.21);
  assert.equal(held.pass, true);
  assert.equal(held.limit, '≤ 1.3×');
  // a paired ratio over the limit fails
  paired.chat.arms.proxy = pairedRow(135, 1.35);
  assert.equal(
    find(evaluateTargets(summaries, { paired }), 'non-streaming CPU per request vs floor, paired')
      .pass,
    false,
  );
});

test('without a paired measurement (or one against another arm) the arms in turn are the target', () => {
  const summaries = {
    chat: {
      floor: { cpuPerRequestInUs: 100, requestsPerS: 1000 },
      proxy: { cpuPerRequestInUs: 140, requestsPerS: 800 },
    },
  };
  for (const paired of [
    {},
    { chat: { reference: 'proxy-chat', arms: { proxy: pairedRow(100, 1) } } },
  ]) {
    const targets = evaluateTargets(summaries, { paired });
    const row = targets.find(
      (target) =>
        target.name === 'non-streaming CPU per request vs floor' && target.arm === 'proxy',
    );
    assert.equal(row.pass, false);
    assert.equal(find(targets, 'non-streaming CPU per request vs floor, paired'), undefined);
  }
});

test('the paired per-chunk ratio is the slope of the paired arms between 8 and 64 chunks', () => {
  const summaries = streams({ proxy8: 200, proxy64: 400, chat8: 180, chat64: 292 });
  const paired = {
    'responses-stream-8': {
      reference: 'proxy-chat',
      arms: { 'proxy-chat': pairedRow(180, 1), proxy: pairedRow(207, 1.15) },
    },
    'responses-stream-64': {
      reference: 'proxy-chat',
      arms: { 'proxy-chat': pairedRow(292, 1), proxy: pairedRow(319, 1.09) },
    },
  };
  const targets = evaluateTargets(summaries, { paired });
  assert.equal(find(targets, PER_CHUNK).informational, true);
  const held = find(targets, `${PER_CHUNK}, paired`);
  assert.equal(held.value, 1);
  assert.equal(held.pass, true);
  const perRequest = find(targets, 'responses-stream-8 CPU per request vs the chat path, paired');
  assert.equal(perRequest.value, 1.15);
  assert.equal(perRequest.pass, true);
});

test('the per-chunk ratio measured with both lengths in one run is the one held to the limit', () => {
  const summaries = streams({ proxy8: 200, proxy64: 400, chat8: 180, chat64: 292 });
  const paired = {
    'responses-stream-8': {
      reference: 'proxy-chat',
      arms: { 'proxy-chat': pairedRow(180, 1), proxy: pairedRow(207, 1.15) },
    },
    // a minute later the machine ran slower: this slope alone would read 1.43
    'responses-stream-64': {
      reference: 'proxy-chat',
      arms: { 'proxy-chat': pairedRow(210, 1), proxy: pairedRow(250, 1.19) },
    },
    'responses-stream-slope': {
      reference: 'proxy-chat',
      arms: {
        'proxy-chat': { slopeInUs: 1.4, ratioToReference: 1 },
        proxy: { slopeInUs: 1.45, ratioToReference: 1.04 },
      },
    },
  };
  const held = find(evaluateTargets(summaries, { paired }), `${PER_CHUNK}, paired`);
  assert.equal(held.value, 1.04);
  assert.equal(held.pass, true);
});
