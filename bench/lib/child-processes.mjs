/**
 * Parent side of the harness's processes: starts children with an IPC channel and a log file,
 * calls their commands, and guarantees that every child dies with the harness (normal end,
 * error, SIGINT/SIGTERM, or the harness being killed: children exit on IPC disconnect).
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Creates the registry that owns every child process of one bench run. */
export function createChildRegistry({ logDir }) {
  const children = new Set();

  /**
   * Starts `node [execArgv] script [args]` with IPC; output goes to `<logDir>/<name>.log`.
   * `env` adds to the harness's environment unless `replaceEnv` is set.
   */
  function startChild({ name, script, args = [], env = {}, execArgv = [], cwd, replaceEnv }) {
    const logPath = join(logDir, `${name}.log`);
    const logFd = openSync(logPath, 'a');
    const child = spawn(process.execPath, [...execArgv, script, ...args], {
      stdio: ['ignore', logFd, logFd, 'ipc'],
      env: replaceEnv ? env : { ...process.env, ...env },
      ...(cwd ? { cwd } : {}),
    });
    closeSync(logFd);
    children.add(child);
    child.once('exit', () => children.delete(child));
    return createChildHandle({ name, child, logPath });
  }

  /** Asks every child to exit, then escalates to SIGTERM and SIGKILL. */
  async function stopAll() {
    await Promise.all([...children].map((child) => stopChildProcess(child)));
  }

  /** Synchronous last resort for process 'exit' handlers. */
  function killAllNow() {
    for (const child of children) child.kill('SIGKILL');
  }

  return { startChild, stopAll, killAllNow };
}

function createChildHandle({ name, child, logPath }) {
  let nextRpcId = 1;
  const pending = new Map();
  const eventWaiters = new Set();
  let exitInfo = null;

  child.on('message', (message) => {
    if (message === null || typeof message !== 'object') return;
    if (typeof message.rpc === 'number') {
      const call = pending.get(message.rpc);
      if (!call) return;
      pending.delete(message.rpc);
      clearTimeout(call.timer);
      if (message.error !== undefined) call.reject(new Error(`${name}: ${message.error}`));
      else call.resolve(message.result);
      return;
    }
    for (const waiter of eventWaiters) waiter(message);
  });
  child.once('exit', (code, signal) => {
    exitInfo = { code, signal };
    const error = new Error(`${name} exited (${signal ?? code}); see ${logPath}\n${readLogTail()}`);
    for (const call of pending.values()) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    pending.clear();
    for (const waiter of eventWaiters) waiter({ event: 'exit', error });
  });

  function readLogTail() {
    try {
      return readFileSync(logPath, 'utf8').split('\n').slice(-15).join('\n');
    } catch {
      return '';
    }
  }

  return {
    name,
    pid: child.pid,
    logPath,
    get exited() {
      return exitInfo !== null;
    },
    /** Calls a command registered with serveRpc in the child. */
    call(command, args = {}, { timeoutInMs = 30_000 } = {}) {
      if (exitInfo) return Promise.reject(new Error(`${name} is not running; see ${logPath}`));
      const rpc = nextRpcId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(rpc);
          reject(new Error(`${name}: ${command} took longer than ${timeoutInMs} ms`));
        }, timeoutInMs);
        pending.set(rpc, { resolve, reject, timer });
        child.send({ rpc, command, args });
      });
    },
    /** Resolves with the first `{ event }` message of that name; rejects if the child exits. */
    waitForEvent(event, { timeoutInMs = 30_000 } = {}) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          eventWaiters.delete(waiter);
          reject(new Error(`${name}: no '${event}' within ${timeoutInMs} ms; see ${logPath}`));
        }, timeoutInMs);
        const waiter = (message) => {
          if (message.event !== event && message.event !== 'exit') return;
          eventWaiters.delete(waiter);
          clearTimeout(timer);
          if (message.event === 'exit') reject(message.error);
          else resolve(message);
        };
        eventWaiters.add(waiter);
      });
    },
    /** Asks the child to exit (so --cpu-prof is written), escalating if it does not. */
    stop() {
      return stopChildProcess(child);
    },
  };
}

async function stopChildProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const waitFor = (timeoutInMs) =>
    Promise.race([exited, new Promise((resolve) => setTimeout(resolve, timeoutInMs).unref())]);
  if (child.connected) child.send({ rpc: 0, command: 'exit', args: {} }, () => {});
  await waitFor(3_000);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await waitFor(2_000);
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await exited;
}
