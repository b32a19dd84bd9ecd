/** Where a plan host serves Anthropic Messages natively (`<base>/v1/messages`). */
export const ANTHROPIC_BASE_PATH = '/apps/anthropic';

/** The Model Studio products the fake serves under `/plans/<host>/…`. */
export type FakePlanType = 'coding-plan' | 'token-plan' | 'standard';

/** The regions a plan key can belong to. */
export type FakePlanRegion = 'intl' | 'cn' | 'us' | 'hk';

/** One real Model Studio host, mounted on the fake at `/plans/<name><openAIPath>`. */
export interface FakePlanHost {
  name: string;
  type: FakePlanType;
  region: FakePlanRegion;
  /** the real host it stands for */
  realHost: string;
  /** `/v1` (Coding Plan) or `/compatible-mode/v1` */
  openAIPath: string;
}

/** Every plan host of the fake (docs/plans-and-protocols.md §3.1). */
export const FAKE_PLAN_HOSTS: readonly FakePlanHost[] = Object.freeze([
  {
    name: 'coding-intl',
    type: 'coding-plan',
    region: 'intl',
    realHost: 'coding-intl.dashscope.aliyuncs.com',
    openAIPath: '/v1',
  },
  {
    name: 'coding-cn',
    type: 'coding-plan',
    region: 'cn',
    realHost: 'coding.dashscope.aliyuncs.com',
    openAIPath: '/v1',
  },
  {
    name: 'token-plan-intl',
    type: 'token-plan',
    region: 'intl',
    realHost: 'token-plan.ap-southeast-1.maas.aliyuncs.com',
    openAIPath: '/compatible-mode/v1',
  },
  {
    name: 'token-plan-cn',
    type: 'token-plan',
    region: 'cn',
    realHost: 'token-plan.cn-beijing.maas.aliyuncs.com',
    openAIPath: '/compatible-mode/v1',
  },
  {
    name: 'dashscope-intl',
    type: 'standard',
    region: 'intl',
    realHost: 'dashscope-intl.aliyuncs.com',
    openAIPath: '/compatible-mode/v1',
  },
  {
    name: 'dashscope-cn',
    type: 'standard',
    region: 'cn',
    realHost: 'dashscope.aliyuncs.com',
    openAIPath: '/compatible-mode/v1',
  },
  {
    name: 'dashscope-us',
    type: 'standard',
    region: 'us',
    realHost: 'dashscope-us.aliyuncs.com',
    openAIPath: '/compatible-mode/v1',
  },
  {
    name: 'dashscope-hk',
    type: 'standard',
    region: 'hk',
    realHost: 'cn-hongkong.dashscope.aliyuncs.com',
    openAIPath: '/compatible-mode/v1',
  },
]);

/** The models each plan serves by default (qwen-code presets, docs/plans-and-protocols.md §3.2). */
export const DEFAULT_PLAN_MODELS: Readonly<Record<FakePlanType, readonly string[]>> = Object.freeze(
  {
    'coding-plan': [
      'qwen3.5-plus',
      'qwen3.6-plus',
      'qwen3.7-plus',
      'qwen3-coder-plus',
      'qwen3-coder-next',
      'qwen3-max-2026-01-23',
      'glm-5',
      'glm-4.7',
      'kimi-k2.5',
      'MiniMax-M2.5',
    ],
    'token-plan': [
      'qwen3.7-plus',
      'qwen3.6-plus',
      'qwen3.7-max',
      'qwen3.8-max-preview',
      'qwen3.6-flash',
      'deepseek-v4-pro',
      'deepseek-v4-flash',
      'deepseek-v3.2',
      'kimi-k2.7-code',
      'kimi-k2.6',
      'kimi-k2.5',
      'glm-5.2',
      'glm-5.1',
      'glm-5',
      'MiniMax-M2.5',
    ],
    standard: [
      'qwen3.8-max',
      'qwen3.8-max-0902',
      'qwen3.8-flash',
      'qwen3.8-max-preview',
      'qwen3.7-plus',
      'qwen3.7-max',
      'qwen3.6-plus',
      'qwen3.6-flash',
      'qwen3.5-plus',
      'qwen3-max',
      'qwen3-coder-plus',
      'qwen3-coder-next',
      'qwen-plus',
      'qwen-max',
      'qwen-flash',
      'deepseek-v4-pro',
      'deepseek-v4-flash',
      'deepseek-v3.2',
      'kimi-k3',
      'kimi-k2.6',
      'kimi-k2.5',
      'glm-5.2',
      'glm-5.1',
      'glm-5',
      'MiniMax-M2.5',
      'text-embedding-v4',
      'text-embedding-v3',
    ],
  },
);

/** Splits `/plans/<host>/<rest>` into the host and the path below its OpenAI base. */
export function matchPlanPath(
  path: string,
): { host: FakePlanHost; endpointPath: string } | undefined {
  const match = /^\/plans\/([^/]+)(\/.*)$/.exec(path);
  if (!match) return undefined;
  const host = FAKE_PLAN_HOSTS.find((candidate) => candidate.name === match[1]);
  const rest = match[2] ?? '';
  // the native Anthropic endpoint sits beside the OpenAI one on every plan host
  if (host && rest.startsWith(`${ANTHROPIC_BASE_PATH}/`)) return { host, endpointPath: rest };
  if (!host || !rest.startsWith(`${host.openAIPath}/`)) return undefined;
  // `/v1/chat/completions` in the fake's own route names
  return { host, endpointPath: `/v1${rest.slice(host.openAIPath.length)}` };
}
