import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../types';
import { createRequestLog } from './request-log';

function entry(path: string): RecordedRequest {
  return { method: 'POST', path, headers: {}, body: undefined, receivedAtInMs: 0 };
}

describe('createRequestLog', () => {
  it('keeps only the most recent `capacity` entries, in order', () => {
    const log = createRequestLog({ capacity: 1000 });
    for (let index = 0; index < 1050; index += 1) log.record(entry(`/r/${index}`));
    expect(log.entries).toHaveLength(1000);
    expect(log.entries[0]!.path).toBe('/r/50');
    expect(log.last()!.path).toBe('/r/1049');
  });

  it('finds the last entry per path and clears', () => {
    const log = createRequestLog({ capacity: 10 });
    log.record(entry('/a'));
    log.record({ ...entry('/b'), body: 1 });
    log.record(entry('/a'));
    log.record({ ...entry('/b'), body: 2 });
    log.record(entry('/c'));
    expect(log.last('/b')!.body).toBe(2);
    expect(log.last('/nope')).toBeUndefined();
    log.clear();
    expect(log.last()).toBeUndefined();
  });
});
