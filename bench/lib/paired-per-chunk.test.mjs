import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatPairedPerChunk } from './paired-per-chunk.mjs';

const rows = (entries) =>
  Object.entries(entries).map(([arm, cpuPerRequestInUs]) => ({ arm, cpuPerRequestInUs }));

test('each arm’s slope between the 8- and 64-chunk streams, against the reference’s', () => {
  const rowsByScenario = new Map([
    ['responses-stream-8', rows({ 'proxy-chat': 173, proxy: 207 })],
    ['responses-stream-64', rows({ 'proxy-chat': 272, proxy: 300 })],
  ]);
  const lines = formatPairedPerChunk({ rowsByScenario, reference: 'proxy-chat' });
  // (272 − 173) / 56 = 1.77; (300 − 207) / 56 = 1.66; 93 / 99 = 0.939
  assert.match(
    lines.find((line) => line.startsWith('proxy-chat')),
    /1\.77\s+1\.000$/,
  );
  assert.match(
    lines.find((line) => line.startsWith('proxy ')),
    /1\.66\s+0\.939$/,
  );
});

test('nothing without both lengths of a protocol; n/a for a slope that is not positive', () => {
  const only8 = new Map([['messages-stream-8', rows({ 'proxy-chat': 133, proxy: 143 })]]);
  assert.deepEqual(formatPairedPerChunk({ rowsByScenario: only8, reference: 'proxy-chat' }), []);
  const noisy = new Map([
    ['messages-stream-8', rows({ 'proxy-chat': 133, proxy: 143 })],
    ['messages-stream-64', rows({ 'proxy-chat': 224, proxy: 140 })],
  ]);
  const lines = formatPairedPerChunk({ rowsByScenario: noisy, reference: 'proxy-chat' });
  assert.match(
    lines.find((line) => line.startsWith('proxy ')),
    /-0\.05\s+n\/a$/,
  );
});
