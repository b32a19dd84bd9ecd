import type { UpstreamAccount } from './account-profile';

/**
 * Models the native Responses endpoint (`…/compatible-mode/v1/responses`) serves
 * (docs/plans-and-protocols.md §3.1): qwen3.5-plus and qwen3-max with its snapshots. Others are
 * translated to chat completions, which every model speaks.
 */
export const NATIVE_RESPONSES_MODEL_PATTERN = /^(qwen3\.5-plus|qwen3-max)(-|$)/;

/** Whether a Responses call for `model` (the account's upstream name) can be passed through. */
export function servesNativeResponses({
  account,
  model,
}: {
  account: UpstreamAccount;
  model: string;
}): boolean {
  return (
    account.profile?.endpoints?.responsesUrl !== undefined &&
    NATIVE_RESPONSES_MODEL_PATTERN.test(model)
  );
}
