import type { KeyAccountType } from './account-type';
import { PLAN_PRESETS } from './plan-presets';

/** Whether a key fits its account type, and if not, what to tell the person. */
export type KeyFormatCheck = { ok: true } | { ok: false; message: string };

/**
 * Checks a key's prefix against its type without revealing the key: Coding Plan keys start
 * with `sk-sp-`; Token Plan and pay-as-you-go keys never do (a general `sk-` key on Coding Plan
 * is the most common cause of its 401 `invalid access token or token expired`).
 */
export function checkKeyFormat({
  type,
  apiKey,
}: {
  type: KeyAccountType;
  apiKey: string;
}): KeyFormatCheck {
  const preset = PLAN_PRESETS[type];
  const key = apiKey.trim();
  if (key === '') return { ok: false, message: 'The key is empty.' };
  if (/\s/.test(key)) return { ok: false, message: 'The key contains whitespace; copy it again.' };
  if (preset.forbiddenKeyPrefix !== undefined && key.startsWith(preset.forbiddenKeyPrefix)) {
    return {
      ok: false,
      message: `This is a Coding Plan key (sk-sp-…): use type coding-plan for it; a ${type} account needs ${preset.keyHint}.`,
    };
  }
  if (preset.keyPrefix !== undefined && !key.startsWith(preset.keyPrefix)) {
    return {
      ok: false,
      message:
        type === 'coding-plan'
          ? `A coding-plan account needs ${preset.keyHint}; this key does not start with sk-sp- (a general sk- key is refused by the Coding Plan hosts).`
          : `A ${type} account needs ${preset.keyHint}; this key does not start with ${preset.keyPrefix}.`,
    };
  }
  return { ok: true };
}

/** `sk-sp-…` keys are Coding Plan keys; everything else is taken for a pay-as-you-go key. */
export function inferKeyAccountType(apiKey: string): 'coding-plan' | 'standard' {
  return apiKey.trim().startsWith('sk-sp-') ? 'coding-plan' : 'standard';
}
