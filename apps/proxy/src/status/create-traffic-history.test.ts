import { describe, expect, it } from 'vitest';
import { createTrafficHistory } from './create-traffic-history';

const MINUTE = 60_000;
const START = Date.UTC(2026, 11, 1, 5, 0, 0);

describe('createTrafficHistory', () => {
  it('counts requests and errors per minute, oldest minute first', () => {
    const history = createTrafficHistory({ minutes: 3 });
    history.record({ atInMs: START + 1_000, isError: false });
    history.record({ atInMs: START + 59_999, isError: true });
    history.record({ atInMs: START + MINUTE, isError: false });

    expect(history.list({ nowInMs: START + MINUTE + 5 })).toEqual([
      { startedAtInMs: START - MINUTE, requests: 0, errors: 0 },
      { startedAtInMs: START, requests: 2, errors: 1 },
      { startedAtInMs: START + MINUTE, requests: 1, errors: 0 },
    ]);
  });

  it('forgets minutes older than the window without a timer', () => {
    const history = createTrafficHistory({ minutes: 3 });
    history.record({ atInMs: START, isError: true });
    history.record({ atInMs: START + 3 * MINUTE, isError: false });

    const listed = history.list({ nowInMs: START + 3 * MINUTE });
    expect(listed.map((minute) => minute.requests)).toEqual([0, 0, 1]);
    expect(listed.map((minute) => minute.errors)).toEqual([0, 0, 0]);
    // an hour later nothing of it is left, even though the slots were never rewritten
    expect(history.list({ nowInMs: START + 60 * MINUTE }).every((m) => m.requests === 0)).toBe(
      true,
    );
  });

  it('keeps a full hour by default', () => {
    const history = createTrafficHistory();
    for (let minute = 0; minute < 90; minute++) {
      history.record({ atInMs: START + minute * MINUTE, isError: minute % 2 === 0 });
    }
    const listed = history.list({ nowInMs: START + 89 * MINUTE });
    expect(listed).toHaveLength(60);
    expect(listed[0]?.startedAtInMs).toBe(START + 30 * MINUTE);
    expect(listed.reduce((total, minute) => total + minute.requests, 0)).toBe(60);
    expect(listed.reduce((total, minute) => total + minute.errors, 0)).toBe(30);
  });
});
