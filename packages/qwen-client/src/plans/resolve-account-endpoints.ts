import type { KeyAccountType } from './account-type';
import { PLAN_PRESETS, resolveRegionId, WORKSPACE_REGION_IDS } from './plan-presets';

/**
 * Where one account's requests go, per protocol. This is the field the protocol handlers use:
 * chat completions and embeddings under `openAIBaseUrl`, Anthropic Messages at
 * `${anthropicBaseUrl}/v1/messages`, OpenAI Responses at `responsesUrl` (standard hosts only).
 */
export interface AccountEndpoints {
  /** OpenAI-compatible base, e.g. `https://coding-intl.dashscope.aliyuncs.com/v1` */
  readonly openAIBaseUrl: string;
  /** Anthropic-compatible base on the same host, e.g. `https://coding-intl.dashscope.aliyuncs.com/apps/anthropic` */
  readonly anthropicBaseUrl: string;
  /** the native Responses API, `…/compatible-mode/v1/responses`; only standard (pay-as-you-go) hosts serve it */
  readonly responsesUrl?: string;
}

/** Why endpoints could not be resolved; `field` names the accounts-file field at fault. */
export class AccountEndpointsError extends Error {
  readonly field: 'region' | 'workspace' | 'baseUrl' | 'anthropicBaseUrl';
  constructor({ field, message }: { field: AccountEndpointsError['field']; message: string }) {
    super(message);
    this.name = 'AccountEndpointsError';
    this.field = field;
  }
}

/**
 * The endpoints of a key-based account: its `baseUrl` override, else the workspace domain
 * (standard only), else the type's host in `region` (default intl). The Anthropic base is
 * `anthropicBaseUrl`, else the OpenAI base with its `/v1` or `/compatible-mode/v1` suffix
 * replaced by `/apps/anthropic` (so path-prefixed gateways keep their prefix).
 */
export function resolveAccountEndpoints({
  type,
  region,
  workspace,
  baseUrl,
  anthropicBaseUrl,
}: {
  type: KeyAccountType;
  region?: string | undefined;
  workspace?: string | undefined;
  baseUrl?: string | undefined;
  anthropicBaseUrl?: string | undefined;
}): AccountEndpoints {
  const preset = PLAN_PRESETS[type];
  const regionId = resolveRegionId(region ?? preset.defaultRegionId);
  let openAIBaseUrl: string;
  if (baseUrl !== undefined) {
    openAIBaseUrl = normalizeUrl({ url: baseUrl, field: 'baseUrl' });
  } else if (workspace !== undefined) {
    if (!preset.workspaces) {
      throw new AccountEndpointsError({
        field: 'workspace',
        message: `${type} accounts have no workspace domains; remove "workspace" (only standard accounts use it).`,
      });
    }
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(workspace)) {
      throw new AccountEndpointsError({
        field: 'workspace',
        message: `"${workspace}" is not a workspace id (letters, digits and dashes).`,
      });
    }
    if (!WORKSPACE_REGION_IDS.includes(regionId)) {
      throw new AccountEndpointsError({
        field: 'region',
        message: `Workspace domains exist in ${WORKSPACE_REGION_IDS.join(', ')} (or intl, cn, us, hk); not in "${region}".`,
      });
    }
    openAIBaseUrl = `https://${workspace.toLowerCase()}.${regionId}.maas.aliyuncs.com/compatible-mode/v1`;
  } else {
    const presetUrl = preset.openAIBaseUrls[regionId];
    if (presetUrl === undefined) {
      const known = Object.keys(preset.openAIBaseUrls).join(', ');
      throw new AccountEndpointsError({
        field: 'region',
        message: `${type} has no host in region "${region}"; use one of ${describeRegions(known)}${preset.workspaces ? ', or a workspace' : ''}, or set baseUrl.`,
      });
    }
    openAIBaseUrl = presetUrl;
  }
  const anthropic =
    anthropicBaseUrl === undefined
      ? `${openAIBaseUrl.replace(/\/compatible-mode\/v1$|\/v1$/i, '')}/apps/anthropic`
      : normalizeUrl({ url: anthropicBaseUrl, field: 'anthropicBaseUrl' });
  return {
    openAIBaseUrl,
    anthropicBaseUrl: anthropic,
    ...(type === 'standard' ? { responsesUrl: `${openAIBaseUrl}/responses` } : {}),
  };
}

function describeRegions(regionIds: string): string {
  const aliases: Record<string, string> = {
    'ap-southeast-1': 'intl',
    'cn-beijing': 'cn',
    'us-east-1': 'us',
    'cn-hongkong': 'hk',
  };
  return regionIds
    .split(', ')
    .map((id) => aliases[id] ?? id)
    .join(', ');
}

function normalizeUrl({
  url,
  field,
}: {
  url: string;
  field: 'baseUrl' | 'anthropicBaseUrl';
}): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AccountEndpointsError({ field, message: 'expected an absolute http(s) URL.' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new AccountEndpointsError({ field, message: 'expected an http(s) URL.' });
  }
  if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '') {
    throw new AccountEndpointsError({
      field,
      message: `${field} must not carry credentials or a query string.`,
    });
  }
  return url.replace(/\/+$/, '');
}
