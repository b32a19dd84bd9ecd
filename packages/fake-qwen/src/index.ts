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
export {
  type EgressProxyRecord,
  type FakeEgressProxy,
  startFakeEgressProxy,
} from './egress/start-fake-egress-proxy';
export {
  type FakeLimitKind,
  type FaultOverrides,
  faults,
  LIMIT_ANSWERS,
} from './faults/faults';
export { createCodeChallenge, createPkcePair } from './oauth/pkce';
export {
  DEFAULT_PLAN_MODELS,
  FAKE_PLAN_HOSTS,
  type FakePlanHost,
  type FakePlanRegion,
  type FakePlanType,
  matchPlanPath,
} from './plans/plan-hosts';
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
