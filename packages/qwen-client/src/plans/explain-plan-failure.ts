import type { AccountProfile } from './account-profile';
import { formatRegion } from './plan-presets';

/**
 * What is wrong and how to fix it, for the upstream answers that mean a plan misconfiguration
 * (docs/plans-and-protocols.md §3.1, the Coding Plan and Token Plan FAQs), or undefined:
 * a general `sk-` key on a Coding Plan host (401 `invalid access token or token expired`), an
 * expired plan or bad copy of an `sk-sp-` key (the same 401), a pay-as-you-go key used in
 * another region (401 `Incorrect API key provided`), a plan key on a general-purpose host
 * (403 `invalid api-key`), and a model outside the plan (`model 'x' is not supported`).
 */
export function explainPlanFailure({
  accountId,
  profile,
  apiKey,
  status,
  message,
}: {
  accountId: string;
  profile: AccountProfile | undefined;
  /** the key sent (only its prefix is looked at) */
  apiKey: string;
  status: number;
  message: string;
}): string | undefined {
  if (profile === undefined || profile.type === 'qwen-oauth') return undefined;
  const planKey = apiKey.startsWith('sk-sp-');
  const host = describeHost(profile);
  if (status === 401 && /invalid access token or token expired/i.test(message)) {
    return planKey
      ? `The Coding Plan refused the sk-sp- key of account ${accountId}: the subscription may have expired, or the key was copied incompletely. Check the plan on the Coding Plan page of Model Studio and copy the key again (or reset it).`
      : `${host} is a Coding Plan host and refuses general-purpose keys: account ${accountId} needs the plan-specific key (sk-sp-…) from the Coding Plan page. A pay-as-you-go sk- key belongs on a standard account (type "standard").`;
  }
  if (
    status === 401 &&
    /incorrect api key provided/i.test(message) &&
    profile.type === 'standard'
  ) {
    const region =
      profile.regionId === undefined ? '' : ` (region ${formatRegion(profile.regionId)})`;
    return `Pay-as-you-go keys only work in the region they were created in, and account ${accountId} sends to ${host}${region}. If the key was created in another region, set "region" to it (intl, cn, us, hk, or the workspace's region); otherwise copy the key again.`;
  }
  if (
    status === 401 &&
    /invalid api-key provided/i.test(message) &&
    profile.type === 'token-plan'
  ) {
    return `The Token Plan refused the key of account ${accountId}: it needs the dedicated key from the Token Plan page (not a pay-as-you-go sk- key or a Coding Plan sk-sp- key) and an active subscription.`;
  }
  if (status === 403 && /invalid api-key/i.test(message)) {
    return profile.type === 'standard'
      ? `Account ${accountId} sends a plan key to the general-purpose host ${host}: a Coding Plan key (sk-sp-…) needs type "coding-plan", a Token Plan key type "token-plan", so it goes to its plan's host.`
      : `Account ${accountId} (${profile.type}) sends its plan key to ${host}, which is not its plan's host: remove "baseUrl" so the ${profile.type} host is used.`;
  }
  const unsupported = /model '([^']+)' is not supported/i.exec(message);
  if (unsupported !== null) {
    return `Account ${accountId} (${profile.type}) does not serve the model '${unsupported[1]}': the plan serves only its own list (GET /v1/models shows it). If the plan has added it, list it in the account's "models".`;
  }
  return undefined;
}

function describeHost(profile: AccountProfile): string {
  const base = profile.endpoints?.openAIBaseUrl;
  if (base === undefined) return 'the host';
  try {
    return new URL(base).host;
  } catch {
    return base;
  }
}
