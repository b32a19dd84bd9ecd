/**
 * The stream-metrics client: `concurrency` closed-loop users, each opening one SSE stream after
 * another until the deadline (in-flight streams are then aborted and counted apart). Bytes
 * are never parsed: events are counted by their `\n\n` terminator, which is all the timing
 * needs. Records time to first byte, the gap between reads that complete an event, and
 * streams whose largest gap crossed the stall threshold.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Pool } from 'undici';
import { createHistogram } from '../lib/histogram.mjs';

const NEWLINE = 0x0a;
const EVENT_TERMINATOR = Buffer.from('\n\n');
const DONE_MARKER = 'data: [DONE]';
// chat's error event, and the `event: error` line of the Responses and Anthropic streams
const ERROR_EVENT_MARKERS = ['data: {"error"', 'event: error'];
const TAIL_LENGTH = 64;
const EMPTY = Buffer.alloc(0);

/** Counts `\n\n` terminators in `chunk`, including one split across the previous read. */
function countEventTerminators({ chunk, previousEndedWithNewline }) {
  let count = 0;
  let from = 0;
  if (previousEndedWithNewline && chunk[0] === NEWLINE) {
    count++;
    from = 1;
  }
  let index = chunk.indexOf(EVENT_TERMINATOR, from);
  while (index !== -1) {
    count++;
    index = chunk.indexOf(EVENT_TERMINATOR, index + 2);
  }
  return count;
}

/** Runs the streams and returns an IPC-safe summary (durations in ms). */
export async function runSseStreams({
  origin,
  path,
  headers = {},
  body,
  concurrency,
  durationInMs,
  rampUpInMs = 0,
  stallThresholdInMs = null,
  /** what the last event of a complete stream contains (`[DONE]` for chat) */
  doneMarker = DONE_MARKER,
}) {
  const pool = new Pool(origin, {
    connections: concurrency,
    pipelining: 1,
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
  const timeToFirstByte = createHistogram();
  const gaps = createHistogram();
  const streamDurations = createHistogram();
  const totals = { started: 0, completed: 0, failed: 0, aborted: 0, events: 0, stalled: 0 };
  const failureReasons = {};
  const deadlineController = new AbortController();
  const startedAtInMs = performance.now();
  const deadlineInMs = startedAtInMs + durationInMs;

  function recordFailure(reason) {
    totals.failed++;
    failureReasons[reason] = (failureReasons[reason] ?? 0) + 1;
  }

  async function runOneStream() {
    totals.started++;
    const requestStartedAtInMs = performance.now();
    let firstByteAtInMs = 0;
    let lastEventAtInMs = 0;
    let events = 0;
    let maxGapInMs = 0;
    let previousEndedWithNewline = false;
    let previousChunk = EMPTY;
    let lastChunk = EMPTY;
    let sawErrorEvent = false;
    try {
      const response = await pool.request({
        path,
        method: 'POST',
        headers,
        body,
        signal: deadlineController.signal,
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        recordFailure(`status ${response.statusCode}`);
        return;
      }
      for await (const chunk of response.body) {
        const nowInMs = performance.now();
        if (firstByteAtInMs === 0) {
          firstByteAtInMs = nowInMs;
          timeToFirstByte.record(nowInMs - requestStartedAtInMs);
        }
        const terminators = countEventTerminators({ chunk, previousEndedWithNewline });
        previousEndedWithNewline = chunk[chunk.length - 1] === NEWLINE;
        if (terminators > 0) {
          if (events > 0) {
            const gapInMs = nowInMs - lastEventAtInMs;
            gaps.record(gapInMs);
            if (gapInMs > maxGapInMs) maxGapInMs = gapInMs;
          }
          events += terminators;
          lastEventAtInMs = nowInMs;
        }
        previousChunk = lastChunk;
        lastChunk = chunk;
        if (!sawErrorEvent && ERROR_EVENT_MARKERS.some((marker) => chunk.includes(marker))) {
          sawErrorEvent = true;
        }
      }
      // the done marker may straddle the last two reads; a Responses stream ends with its
      // marker followed by the whole response object, so the last two reads are searched whole
      const lastReads = Buffer.concat([previousChunk, lastChunk]);
      const tail =
        doneMarker === DONE_MARKER
          ? lastReads.toString('latin1').slice(-TAIL_LENGTH)
          : lastReads.toString('latin1');
      totals.events += events;
      if (sawErrorEvent) recordFailure('error event');
      else if (!tail.includes(doneMarker)) recordFailure(`ended without ${doneMarker}`);
      else {
        totals.completed++;
        streamDurations.record(performance.now() - requestStartedAtInMs);
      }
    } catch (error) {
      totals.events += events;
      if (deadlineController.signal.aborted) totals.aborted++;
      else recordFailure(error?.code ?? error?.name ?? 'error');
    } finally {
      // streams cut at the deadline count too: a stall before the cut is still a stall
      if (stallThresholdInMs !== null && maxGapInMs > stallThresholdInMs) totals.stalled++;
    }
  }

  async function runUser(index) {
    if (rampUpInMs > 0) await delay((rampUpInMs * index) / concurrency);
    while (performance.now() < deadlineInMs) await runOneStream();
  }

  const deadlineTimer = setTimeout(() => deadlineController.abort(), durationInMs);
  await Promise.all(Array.from({ length: concurrency }, (_, index) => runUser(index)));
  clearTimeout(deadlineTimer);
  const elapsedInS = Math.min(performance.now() - startedAtInMs, durationInMs) / 1000;
  await pool.destroy();

  return {
    kind: 'sse',
    durationInS: Math.round(elapsedInS * 1000) / 1000,
    concurrency,
    streamsStarted: totals.started,
    streamsCompleted: totals.completed,
    streamsAborted: totals.aborted,
    failed: totals.failed,
    failureReasons,
    events: totals.events,
    streamsPerS: Math.round((totals.completed / elapsedInS) * 10) / 10,
    eventsPerS: Math.round(totals.events / elapsedInS),
    stalledStreams: totals.stalled,
    timeToFirstByte: timeToFirstByte.summarize(),
    gap: gaps.summarize(),
    streamDuration: streamDurations.summarize(),
  };
}
