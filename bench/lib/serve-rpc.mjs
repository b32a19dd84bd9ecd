/**
 * The child side of the harness's IPC protocol. Every process the harness starts (fake, floor,
 * probe inside the proxy, load generator) registers named commands here; the parent calls them
 * with `{ rpc: id, command, args }` and gets `{ rpc: id, result }` or `{ rpc: id, error }`.
 * One listener per process, however many modules register commands (probe + floor share it).
 */

const handlers = new Map();
let listening = false;

/** Registers `commands` (name → async function of args) and starts answering the parent. */
export function serveRpc(commands) {
  for (const [name, handler] of Object.entries(commands)) handlers.set(name, handler);
  if (listening || typeof process.send !== 'function') return;
  listening = true;
  process.on('message', (message) => {
    if (message === null || typeof message !== 'object' || typeof message.rpc !== 'number') return;
    void answer(message);
  });
  // the harness died or let go of us: never outlive it
  process.on('disconnect', () => process.exit(0));
  handlers.set('exit', () => {
    // reply first so the parent is not left waiting, then exit normally (writes --cpu-prof)
    setImmediate(() => process.exit(0));
    return true;
  });
}

/** Tells the parent something happened (e.g. `ready` with the listening URL). */
export function sendEvent(event, fields = {}) {
  process.send?.({ event, ...fields });
}

async function answer({ rpc, command, args }) {
  const handler = handlers.get(command);
  try {
    if (!handler) throw new Error(`unknown command ${command}`);
    const result = await handler(args ?? {});
    process.send?.({ rpc, result: result ?? null });
  } catch (error) {
    process.send?.({ rpc, error: error instanceof Error ? error.message : String(error) });
  }
}
