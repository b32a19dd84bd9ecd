import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  createRequestStoppers,
  type RequestStop,
  type RequestStoppers,
} from './create-request-stoppers';

const noop: RequestStop = () => {};

describe('createRequestStoppers', () => {
  it('lists the registered stops oldest first and forgets removed ones', () => {
    const stoppers = createRequestStoppers();
    const stops = Array.from({ length: 4 }, (): RequestStop => () => {});
    const entries = stops.map((stop) => stoppers.add(stop));
    expect(stoppers.list()).toHaveLength(4);
    expect(stoppers.list()).toEqual(stops);

    stoppers.remove(entries[1]!);
    expect(stoppers.list()).toEqual([stops[0], stops[2], stops[3]]);
    stoppers.remove(entries[0]!);
    stoppers.remove(entries[3]!);
    expect(stoppers.list()).toEqual([stops[2]]);
    expect(stoppers.list()).toHaveLength(1);

    // removing twice changes nothing
    stoppers.remove(entries[3]!);
    expect(stoppers.list()).toHaveLength(1);
    stoppers.remove(entries[2]!);
    expect(stoppers.list()).toEqual([]);
    expect(stoppers.list()).toHaveLength(0);

    const again = stoppers.add(noop);
    expect(stoppers.list()).toEqual([noop]);
    stoppers.remove(again);
    expect(stoppers.list()).toHaveLength(0);
  });

  it('a removed entry holds nothing of its request', () => {
    const stoppers = createRequestStoppers();
    const before = stoppers.add(noop);
    const entry = stoppers.add(() => {});
    const after = stoppers.add(noop);
    stoppers.remove(entry);
    expect(entry).toEqual({ stop: undefined, previous: undefined, next: undefined });
    expect(before.next).toBe(after);
    expect(after.previous).toBe(before);
  });

  it('every stop can be called while stops remove their own entries (shutdown)', () => {
    const stoppers = createRequestStoppers();
    const reasons: string[] = [];
    const entries: ReturnType<RequestStoppers['add']>[] = [];
    for (let index = 0; index < 3; index++) {
      entries.push(
        stoppers.add((reason) => {
          reasons.push(`${index}:${reason.message}`);
          stoppers.remove(entries[index]!);
        }),
      );
    }
    for (const stop of stoppers.list()) stop(new Error('shutting down'));
    expect(reasons).toEqual(['0:shutting down', '1:shutting down', '2:shutting down']);
    expect(stoppers.list()).toHaveLength(0);
  });

  it('keeps no finished request alive through scavenges (they are not promoted)', () => {
    // a Set in this role (the registry before) promoted every request in flight at each of its
    // rehashes: ~30 MB here on Node 20. Minor collections only, so whatever they promote stays
    // in the old generation where this test can see it.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (options?: { type: 'major' | 'minor' }) => void;
    const oldSpaceUsed = () =>
      getHeapSpaceStatistics().find((space) => space.space_name === 'old_space')?.space_used_size ??
      0;

    const stoppers = createRequestStoppers();
    stoppers.remove(stoppers.add(noop));
    // the registry is long-lived: in the old generation before requests come and go
    gc({ type: 'major' });
    gc({ type: 'major' });
    const usedBefore = oldSpaceUsed();

    const inFlight: ReturnType<RequestStoppers['add']>[] = [];
    for (let request = 0; request < 2_000; request++) {
      // ~16 KB a request, reachable from its stop as a request is from its stop in the proxy
      const state = { body: new Array<number>(2_000).fill(request) };
      inFlight.push(stoppers.add(() => void state.body.length));
      if (inFlight.length > 8) stoppers.remove(inFlight.shift()!);
      if (request % 50 === 0) gc({ type: 'minor' });
    }
    for (const entry of inFlight.splice(0)) stoppers.remove(entry);
    gc({ type: 'minor' });
    gc({ type: 'minor' });

    const promotedInBytes = oldSpaceUsed() - usedBefore;
    expect(promotedInBytes).toBeLessThan(4 * 1024 * 1024);
  });
});
