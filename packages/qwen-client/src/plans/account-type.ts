/** Every kind of Qwen account the relay serves from (the `type` of an accounts-file entry). */
export const ACCOUNT_TYPES = ['coding-plan', 'token-plan', 'standard', 'qwen-oauth'] as const;

/** One kind of Qwen account: an Alibaba Model Studio plan, a pay-as-you-go key, or OAuth. */
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** The account types that authenticate with a static Model Studio key. */
export type KeyAccountType = Exclude<AccountType, 'qwen-oauth'>;

/** Whether `value` names an account type. */
export function isAccountType(value: unknown): value is AccountType {
  return typeof value === 'string' && (ACCOUNT_TYPES as readonly string[]).includes(value);
}
