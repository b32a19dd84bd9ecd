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
