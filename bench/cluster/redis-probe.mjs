/**
 * A minimal RESP connection for the cluster bench: PING round trips (the floor of every Redis
 * call a replica makes) and `INFO stats` counters (how many commands a measurement cost). Not a
 * client library: one command at a time, replies read until complete.
 */
import { connect } from 'node:net';
import { createHistogram } from '../lib/histogram.mjs';

/** Opens a connection to `redis://host:port`; `close()` ends it. */
export async function openRedisProbe(url) {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  socket.setNoDelay(true);
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffer = Buffer.alloc(0);
  let waiter = null;
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    waiter?.();
  });

  /** a complete reply at the start of the buffer: simple string, error, integer or bulk */
  function takeReply() {
    const lineEnd = buffer.indexOf('\r\n');
    if (lineEnd < 0) return undefined;
    const kind = String.fromCharCode(buffer[0]);
    const head = buffer.subarray(1, lineEnd).toString('utf8');
    if (kind === '$') {
      const length = Number(head);
      if (length < 0) {
        buffer = buffer.subarray(lineEnd + 2);
        return null;
      }
      if (buffer.length < lineEnd + 2 + length + 2) return undefined;
      const value = buffer.subarray(lineEnd + 2, lineEnd + 2 + length).toString('utf8');
      buffer = buffer.subarray(lineEnd + 2 + length + 2);
      return value;
    }
    buffer = buffer.subarray(lineEnd + 2);
    if (kind === '-') throw new Error(`redis: ${head}`);
    return head;
  }

  function send(words) {
    return new Promise((resolve, reject) => {
      const check = () => {
        try {
          const reply = takeReply();
          if (reply === undefined) return;
          waiter = null;
          resolve(reply);
        } catch (error) {
          waiter = null;
          reject(error);
        }
      };
      waiter = check;
      socket.write(
        `*${words.length}\r\n${words.map((w) => `$${Buffer.byteLength(w)}\r\n${w}\r\n`).join('')}`,
      );
    });
  }

  return {
    /** `count` sequential PINGs: the round-trip latency distribution in ms */
    async measurePing(count) {
      const latency = createHistogram();
      for (let index = 0; index < count; index++) {
        const startedAtInMs = performance.now();
        await send(['PING']);
        latency.record(performance.now() - startedAtInMs);
      }
      return latency.summarize();
    },
    /** commands the server has processed so far (INFO stats: total_commands_processed) */
    async readCommandsProcessed() {
      const info = await send(['INFO', 'stats']);
      const match = /total_commands_processed:(\d+)/.exec(info);
      return match ? Number(match[1]) : Number.NaN;
    },
    close() {
      socket.destroy();
    },
  };
}
