import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBodyText } from './read-body-text';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

describe('readBodyText', () => {
  it('joins every chunk as UTF-8, a character split across chunks included', async () => {
    const bytes = utf8('{"text":"héllo ✓"}');
    const body = Readable.from([bytes.subarray(0, 11), bytes.subarray(11, 17), bytes.subarray(17)]);
    expect(await readBodyText({ body })).toBe('{"text":"héllo ✓"}');
    expect(await readBodyText({ body: Readable.from([]) })).toBe('');
  });

  it('stops at the limit and destroys the rest', async () => {
    const body = Readable.from([utf8('aaaa'), utf8('bbbb'), utf8('cccc')]);
    expect(await readBodyText({ body, limitInBytes: 6 })).toBe('aaaabbbb');
    expect(body.destroyed).toBe(true);
  });

  it('fails with the body error, as a for-await over it would', async () => {
    const failure = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const body = new Readable({ read() {} });
    body.push(utf8('{"a":'));
    setImmediate(() => body.destroy(failure));
    await expect(readBodyText({ body })).rejects.toBe(failure);
  });

  it('fails with ERR_STREAM_PREMATURE_CLOSE when the body closes before its end', async () => {
    const body = new Readable({ read() {} });
    body.push(utf8('{"a":'));
    setImmediate(() => body.destroy());
    await expect(readBodyText({ body })).rejects.toMatchObject({
      code: 'ERR_STREAM_PREMATURE_CLOSE',
    });
    let iterated: unknown;
    const again = new Readable({ read() {} });
    setImmediate(() => again.destroy());
    try {
      for await (const _ of again) {
        // nothing arrives
      }
    } catch (error) {
      iterated = error;
    }
    // the same code a for-await reports
    expect(iterated).toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('answers at once for a body already destroyed', async () => {
    const failure = new Error('gone');
    const errored = new Readable({ read() {} });
    errored.on('error', () => undefined);
    errored.destroy(failure);
    await new Promise((resolve) => setImmediate(resolve));
    await expect(readBodyText({ body: errored })).rejects.toBe(failure);
    const closed = new Readable({ read() {} });
    closed.destroy();
    await new Promise((resolve) => setImmediate(resolve));
    await expect(readBodyText({ body: closed })).rejects.toMatchObject({
      code: 'ERR_STREAM_PREMATURE_CLOSE',
    });
  });
});
