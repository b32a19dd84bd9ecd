import type { KeyAccountType } from './account-type';

/** The region names an account may use: a short alias or an Alibaba Cloud region id. */
export const REGION_ALIASES = Object.freeze({
  intl: 'ap-southeast-1',
  cn: 'cn-beijing',
  us: 'us-east-1',
  hk: 'cn-hongkong',
} as const);

/** Region ids that have workspace domains (`{workspace}.{region}.maas.aliyuncs.com`). */
export const WORKSPACE_REGION_IDS: readonly string[] = Object.freeze([
  'ap-southeast-1',
  'us-east-1',
  'ap-northeast-1',
  'cn-hongkong',
  'cn-beijing',
  'eu-central-1',
]);

/** What the relay knows about one key-based account type: hosts per region and key format. */
export interface PlanPreset {
  /** region id → OpenAI-compatible base URL */
  readonly openAIBaseUrls: Readonly<Record<string, string>>;
  readonly defaultRegionId: string;
  /** whether `workspace` domains exist for this type */
  readonly workspaces: boolean;
  /** keys of this type start with this prefix (Token Plan keys have no documented one) */
  readonly keyPrefix?: string;
  /** keys of this type never start with this prefix */
  readonly forbiddenKeyPrefix?: string;
  /** where to get a key, for error messages */
  readonly keyHint: string;
}

/** The hosts and key rules of each plan (docs/plans-and-protocols.md §3.1). */
export const PLAN_PRESETS: Readonly<Record<KeyAccountType, PlanPreset>> = Object.freeze({
  'coding-plan': {
    openAIBaseUrls: {
      'ap-southeast-1': 'https://coding-intl.dashscope.aliyuncs.com/v1',
      'cn-beijing': 'https://coding.dashscope.aliyuncs.com/v1',
    },
    defaultRegionId: 'ap-southeast-1',
    workspaces: false,
    keyPrefix: 'sk-sp-',
    keyHint: 'the plan-specific key (sk-sp-…) from the Coding Plan page of Model Studio',
  },
  'token-plan': {
    openAIBaseUrls: {
      'ap-southeast-1': 'https://token-plan.ap-southeast-1.maas.aliyuncs.com/compatible-mode/v1',
      'cn-beijing': 'https://token-plan.cn-beijing.maas.aliyuncs.com/compatible-mode/v1',
    },
    defaultRegionId: 'ap-southeast-1',
    workspaces: false,
    forbiddenKeyPrefix: 'sk-sp-',
    keyHint: 'the dedicated key from the Token Plan page of Model Studio',
  },
  standard: {
    openAIBaseUrls: {
      'ap-southeast-1': 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
      'cn-beijing': 'https://dashscope.aliyuncs.com/compatible-mode/v1',
      'us-east-1': 'https://dashscope-us.aliyuncs.com/compatible-mode/v1',
      'cn-hongkong': 'https://cn-hongkong.dashscope.aliyuncs.com/compatible-mode/v1',
    },
    defaultRegionId: 'ap-southeast-1',
    workspaces: true,
    keyPrefix: 'sk-',
    forbiddenKeyPrefix: 'sk-sp-',
    keyHint:
      'a pay-as-you-go key (sk-…) created in the same region, from the API keys page of Model Studio',
  },
});

/** `intl` → `ap-southeast-1`; a region id stays as it is. */
export function resolveRegionId(region: string): string {
  return Object.hasOwn(REGION_ALIASES, region)
    ? REGION_ALIASES[region as keyof typeof REGION_ALIASES]
    : region;
}

/** `ap-southeast-1` → `intl`, for display; ids without an alias stay. */
export function formatRegion(regionId: string): string {
  const alias = Object.entries(REGION_ALIASES).find(([, id]) => id === regionId)?.[0];
  return alias ?? regionId;
}
