import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWarm } from './warm-up.mjs';

test('a proxy warming up is warm once two slices in a row stop beating the best before them', () => {
  // one fresh proxy's chat warm-up, µs per request by second
  const slices = [1178, 435, 308, 144, 163, 139];
  const warmAfter = slices.findIndex((_, index) => isWarm(slices.slice(0, index + 1))) + 1;
  assert.equal(warmAfter, 6);
});

test('a floor warm in its first slice is warm after three', () => {
  assert.equal(isWarm([70, 72]), false);
  assert.equal(isWarm([70, 72, 69]), true);
});

test('a slice more than 10 % cheaper than every slice before it means still warming', () => {
  assert.equal(isWarm([300, 290, 250]), false);
  assert.equal(isWarm([300, 250, 290]), false);
  assert.equal(isWarm([300, 280, 275]), true);
});

test('a noisy high slice early on does not end the warm-up alone', () => {
  // the second slice is above the first, the third beats both
  assert.equal(isWarm([1178, 1300]), false);
  assert.equal(isWarm([1178, 1300, 600]), false);
});

test('a slice without a request or CPU reading never counts as warm', () => {
  assert.equal(isWarm([100, Number.NaN, 100]), false);
  assert.equal(isWarm([100, 100, Number.NaN]), false);
  assert.equal(isWarm([Number.NaN, 100, 100]), false);
  assert.equal(isWarm([Number.NaN, 90, 100, 100]), true);
});
