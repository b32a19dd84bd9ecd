// `@qwen-relay/contracts/node`: the rules two packages share that need a Node.js process (the
// main entry stays worker-safe and never touches `process`).
export { isProcessAlive } from './process/is-process-alive';
