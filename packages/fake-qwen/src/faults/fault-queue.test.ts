import { describe, expect, it } from 'vitest';
import { createFaultQueue } from './fault-queue';
import { faults } from './faults';

describe('createFaultQueue', () => {
  it('serves rules in queue order, `times` each, then nothing', () => {
    const queue = createFaultQueue();
    queue.push(faults.serverError(500, { times: 2 }));
    queue.push(faults.unauthorized());
    const statuses = Array.from({ length: 4 }, () => {
      const action = queue.take({ endpoint: 'chat', phase: 'before-response', stream: false });
      return action?.type === 'status' ? action.status : undefined;
    });
    expect(statuses).toEqual([500, 500, 401, undefined]);
    expect(queue.size).toBe(0);
  });

  it('matches endpoint, stream flag, grant type and phase', () => {
    const queue = createFaultQueue();
    queue.push(faults.midStreamDrop(1));
    queue.push(faults.serverError(500, { stream: true }));
    queue.push(faults.serverError(503, { endpoint: 'token', grantType: 'refresh_token' }));
    expect(
      queue.take({ endpoint: 'chat', phase: 'before-response', stream: false }),
    ).toBeUndefined();
    expect(
      queue.take({
        endpoint: 'token',
        phase: 'before-response',
        grantType: 'urn:ietf:params:oauth:grant-type:device_code',
      }),
    ).toBeUndefined();
    expect(queue.take({ endpoint: 'chat', phase: 'before-response', stream: true })).toMatchObject({
      status: 500,
    });
    expect(queue.take({ endpoint: 'chat', phase: 'stream', stream: true })).toMatchObject({
      type: 'mid-stream-drop',
    });
    expect(
      queue.take({ endpoint: 'token', phase: 'before-response', grantType: 'refresh_token' }),
    ).toMatchObject({ status: 503 });
  });

  it('keeps Infinity rules until cleared and refuses non-positive counts', () => {
    const queue = createFaultQueue();
    queue.push(faults.hang({ times: Number.POSITIVE_INFINITY }));
    for (let index = 0; index < 5; index += 1) {
      expect(queue.take({ endpoint: 'chat', phase: 'before-response' })).toEqual({ type: 'hang' });
    }
    queue.clear();
    expect(queue.take({ endpoint: 'chat', phase: 'before-response' })).toBeUndefined();
    expect(() => queue.push(faults.hang({ times: 0 }))).toThrow(RangeError);
  });
});
