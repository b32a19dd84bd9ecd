import { DEFAULT_MODEL_ALIASES } from '../constants';
import { DEFAULT_PLAN_MODELS, type FakePlanType } from '../plans/plan-hosts';
import type { FakeQwenOptions } from '../types';

/** Every option of the fake with its default applied; mutable through `configure()`. */
export interface FakeQwenSettings {
  accessTokenTtlInSeconds: number;
  resourceUrl: string;
  deviceCodeTtlInSeconds: number;
  slowDownStatus: 400 | 429;
  devicePollMinIntervalInMs: number;
  devicePollIntervalInSeconds: number | undefined;
  autoApprove: boolean;
  embeddings: boolean;
  modelAliases: Record<string, string>;
  maxTokensLimit: number;
  stream: {
    chunkCount: number;
    chunkSize: number;
    chunkDelayInMs: number;
    combinedFinalChunk: boolean;
    reasoningChunkCount: number | undefined;
    toolCallsFinishReason: 'tool_calls' | 'stop';
    emptyFunctionChunk: boolean;
  };
  wafMode: boolean;
  strictQuirks: {
    systemMustBeArray: boolean;
    userTextMustBeString: boolean;
    rejectEmptyTools: boolean;
    rejectThinkingWithoutStream: boolean;
  };
  shutdownMode: boolean;
  streamErrorFormat: 'json' | 'sse';
  now: () => number;
  apiKeys: ReadonlySet<string>;
  maxRequestBodyBytes: number;
  planModels: Record<FakePlanType, readonly string[]>;
}

/** Default settings, faithful to the reference. */
export function createDefaultSettings(): FakeQwenSettings {
  return {
    accessTokenTtlInSeconds: 3600,
    resourceUrl: 'self',
    deviceCodeTtlInSeconds: 1800,
    slowDownStatus: 429,
    devicePollMinIntervalInMs: 0,
    devicePollIntervalInSeconds: undefined,
    autoApprove: false,
    embeddings: false,
    modelAliases: { ...DEFAULT_MODEL_ALIASES },
    maxTokensLimit: 65_536,
    stream: {
      chunkCount: 8,
      chunkSize: 6,
      chunkDelayInMs: 0,
      combinedFinalChunk: false,
      reasoningChunkCount: undefined,
      toolCallsFinishReason: 'tool_calls',
      emptyFunctionChunk: false,
    },
    wafMode: false,
    strictQuirks: {
      systemMustBeArray: false,
      userTextMustBeString: false,
      rejectEmptyTools: false,
      rejectThinkingWithoutStream: false,
    },
    shutdownMode: false,
    streamErrorFormat: 'json',
    now: Date.now,
    apiKeys: new Set(),
    maxRequestBodyBytes: 64 * 1024 * 1024,
    planModels: { ...DEFAULT_PLAN_MODELS },
  };
}

/** Applies (partial) options onto settings; nested `stream`/`strictQuirks` merge. Throws, changing nothing, when invalid. */
export function applyOptions({
  settings: target,
  options,
}: {
  settings: FakeQwenSettings;
  options: Partial<FakeQwenOptions>;
}): void {
  const settings: FakeQwenSettings = {
    ...target,
    stream: { ...target.stream },
    strictQuirks: { ...target.strictQuirks },
    planModels: { ...target.planModels },
  };
  const {
    stream,
    strictQuirks,
    apiKeys,
    modelAliases,
    planModels,
    port: _port,
    host: _host,
    ...flat
  } = options;
  for (const [key, value] of Object.entries(flat)) {
    if (value !== undefined) Object.assign(settings, { [key]: value });
  }
  if (modelAliases) settings.modelAliases = { ...modelAliases };
  if (apiKeys) settings.apiKeys = new Set(apiKeys);
  if (planModels) {
    for (const [type, models] of Object.entries(planModels)) {
      if (models !== undefined) settings.planModels[type as FakePlanType] = [...models];
    }
  }
  if (stream) {
    for (const [key, value] of Object.entries(stream)) {
      if (value !== undefined) Object.assign(settings.stream, { [key]: value });
    }
  }
  if (strictQuirks) {
    for (const [key, value] of Object.entries(strictQuirks)) {
      if (value !== undefined) Object.assign(settings.strictQuirks, { [key]: value });
    }
  }
  validateSettings(settings);
  Object.assign(target, settings);
}

function validateSettings(settings: FakeQwenSettings): void {
  const { chunkCount, chunkSize, chunkDelayInMs } = settings.stream;
  if (!Number.isInteger(chunkCount) || chunkCount < 1)
    throw new RangeError('chunkCount must be ≥ 1');
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new RangeError('chunkSize must be ≥ 1');
  if (!(chunkDelayInMs >= 0)) throw new RangeError('chunkDelayInMs must be ≥ 0');
  if (!(settings.accessTokenTtlInSeconds > 0))
    throw new RangeError('accessTokenTtlInSeconds must be > 0');
}
