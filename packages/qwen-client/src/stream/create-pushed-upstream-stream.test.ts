import { describe, expect, it } from 'vitest';
import { createPushedUpstreamStream } from './create-pushed-upstream-stream';

const encoder = new TextEncoder();
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString();

function createStream() {
  const calls = { cancel: 0, resume: 0 };
  const stream = createPushedUpstreamStream({
    signal: new AbortController().signal,
    accountId: 'acct-1',
    cancel: () => {
      calls.cancel += 1;
    },
    resume: () => {
      calls.resume += 1;
    },
  });
  return { stream, calls, iterator: stream.body[Symbol.asyncIterator]() };
}

describe('createPushedUpstreamStream', () => {
  it('hands a read to a consumer that waits for it as it comes, one value per read', async () => {
    const { stream, iterator } = createStream();
    const first = iterator.next();
    stream.push(encoder.encode('data: 1\n\n'));
    expect(text((await first).value)).toBe('data: 1\n\n');
    const second = iterator.next();
    stream.push(encoder.encode('data: 2\n\n'));
    stream.end();
    expect(text((await second).value)).toBe('data: 2\n\n');
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(await stream.ended).toEqual({ state: 'completed' });
  });

  it('joins the reads that came while the consumer was busy into one value, in order', async () => {
    // a worker task per value costs the same however many bytes it carries: the stream-8 bench
    // made ten tasks per request when every read was its own value, two when they are joined
    const { stream, iterator } = createStream();
    const reads = ['data: {"a":1}\n\n', 'data: {"a":', '2}\n\n', 'data: [DONE]\n\n'];
    for (const read of reads) stream.push(encoder.encode(read));
    stream.end();
    const joined = await iterator.next();
    expect(joined.done).toBe(false);
    expect(text(joined.value)).toBe(reads.join(''));
    expect(joined.value?.byteLength).toBe(reads.join('').length);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(await stream.ended).toEqual({ state: 'completed' });
  });

  it('pauses the socket at the queue limit and lets it read again once the queue is taken', async () => {
    const { stream, calls, iterator } = createStream();
    const read = new Uint8Array(16 * 1024).fill(0x78);
    const accepted = [1, 2, 3, 4].map(() => stream.push(read));
    expect(accepted).toEqual([true, true, true, false]);
    expect(calls.resume).toBe(0);
    const joined = await iterator.next();
    expect(joined.value?.byteLength).toBe(4 * read.byteLength);
    expect(calls.resume).toBe(1);
    // taken while not paused: nothing to resume
    stream.push(read);
    await iterator.next();
    expect(calls.resume).toBe(1);
  });

  it('drops what is queued when the body fails, and reports the failure', async () => {
    const { stream, iterator } = createStream();
    stream.push(encoder.encode('data: 1\n\n'));
    stream.fail(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect((await stream.ended).state).toBe('dropped');
  });

  it('a consumer that stops early cancels the request and ends as aborted', async () => {
    const { stream, calls, iterator } = createStream();
    stream.push(encoder.encode('data: 1\n\n'));
    await iterator.next();
    await iterator.return?.();
    expect(calls.cancel).toBe(1);
    expect((await stream.ended).state).toBe('aborted');
  });
});
