import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarizeSlopePairs } from './measure-paired.mjs';

const ARMS = ['proxy-chat', 'proxy'];

test('the ratio of slopes is built from the medians of the same-window ratios and of k', () => {
  // the machine's speed halves for the second pair: every CPU doubles, no ratio moves
  const rows = summarizeSlopePairs({
    pairs: [
      { shortCpu: [180, 207], longCpu: [292, 319] },
      { shortCpu: [360, 414], longCpu: [584, 638] },
      { shortCpu: [180, 207], longCpu: [292, 319] },
    ],
    armNames: ARMS,
    reference: 'proxy-chat',
    chunksAdded: 56,
  });
  assert.deepEqual(
    rows.map((row) => row.arm),
    ARMS,
  );
  const [chat, proxy] = rows;
  assert.equal(chat.ratioToReference, 1);
  assert.equal(chat.slopeInUs, 2);
  // 27 µs more per request at both lengths: the translation costs what chat costs per chunk
  // (the medians are rounded to three decimals)
  assert.ok(Math.abs(proxy.ratioToReference - 1) < 0.002);
  assert.equal(proxy.ratioShort, 1.15);
  assert.equal(proxy.lengthRatio, 1.622);
  // slopes in µs per chunk carry the machine's speed (2, 4, 2): their median is information
  assert.equal(proxy.slopeInUs, 2);
});

test('one noisy window moves a median, not the row', () => {
  const steady = { shortCpu: [180, 200], longCpu: [292, 334.4] };
  const [, proxy] = summarizeSlopePairs({
    // the third pair's long window ran while something else took the machine
    pairs: [steady, steady, { shortCpu: [180, 200], longCpu: [292, 500] }],
    armNames: ARMS,
    reference: 'proxy-chat',
    chunksAdded: 56,
  });
  // 2.4 µs against 2 µs per chunk
  assert.ok(Math.abs(proxy.ratioToReference - 1.2) < 0.002);
});

test('a reference whose CPU did not grow with the stream gives no ratio', () => {
  const [, proxy] = summarizeSlopePairs({
    pairs: [{ shortCpu: [300, 200], longCpu: [290, 400] }],
    armNames: ARMS,
    reference: 'proxy-chat',
    chunksAdded: 56,
  });
  assert.equal(proxy.ratioToReference, null);
});
