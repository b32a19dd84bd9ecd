export {
  DEFAULT_MODEL_ALIASES,
  DEVICE_CODE_GRANT_TYPE,
  FAKE_QWEN_PATHS,
  QWEN_OAUTH_CLIENT_ID,
  QWEN_OAUTH_SCOPE,
  REFRESH_TOKEN_GRANT_TYPE,
} from './constants';
export {
  getCredentialsFileName,
  writeQwenCredentialsFile,
} from './credentials/write-credentials-file';
export { type FaultOverrides, faults } from './faults/faults';
export { createCodeChallenge, createPkcePair } from './oauth/pkce';
export { startFakeQwen } from './server/start-fake-qwen';
export type {
  FakeEndpoint,
  FakeQwen,
  FakeQwenCounters,
  FakeQwenOptions,
  FaultAction,
  FaultRule,
  IssuedCredentials,
  RecordedRequest,
} from './types';
