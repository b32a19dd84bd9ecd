// `@qwen-relay/fake-qwen/testing`: the helpers every package's tests share, next to the fake.
export { createTempDir, type TempDir } from './testing/create-temp-dir';
export { findFreePort } from './testing/find-free-port';
export {
  type ScriptedHandler,
  type ScriptedRequest,
  type ScriptedResponse,
  type ScriptedServer,
  startScriptedServer,
} from './testing/start-scripted-server';
export { type WaitForOptions, waitFor } from './testing/wait-for';
export { withReadOnlyDirectory } from './testing/with-read-only-directory';
