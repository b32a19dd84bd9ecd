import { describe, expect, it } from 'vitest';
import { convertEventLoopDelayToSeconds } from './convert-event-loop-delay';

describe('convertEventLoopDelayToSeconds', () => {
  it('reports only the delay beyond the sampling interval', () => {
    expect(
      convertEventLoopDelayToSeconds({ recordedInNanoseconds: 10_000_000, resolutionInMs: 10 }),
    ).toBe(0);
    expect(
      convertEventLoopDelayToSeconds({ recordedInNanoseconds: 35_000_000, resolutionInMs: 10 }),
    ).toBeCloseTo(0.025, 9);
  });

  it('never goes below zero for a tick that fired early', () => {
    expect(
      convertEventLoopDelayToSeconds({ recordedInNanoseconds: 9_990_000, resolutionInMs: 10 }),
    ).toBe(0);
  });

  it('reads no sample yet as zero', () => {
    expect(
      convertEventLoopDelayToSeconds({ recordedInNanoseconds: Number.NaN, resolutionInMs: 10 }),
    ).toBe(0);
    expect(
      convertEventLoopDelayToSeconds({
        recordedInNanoseconds: Number.POSITIVE_INFINITY,
        resolutionInMs: 10,
      }),
    ).toBe(0);
  });
});
