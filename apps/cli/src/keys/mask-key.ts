/**
 * A key as it may be shown: its public prefix (`sk-sp-`, `sk-`) and last four characters,
 * e.g. `sk-sp-…3f9a`; short keys show nothing but the prefix.
 */
export function maskKey(apiKey: string): string {
  const key = apiKey.trim();
  const prefix = /^(sk-sp-|sk-)/.exec(key)?.[1] ?? '';
  const rest = key.slice(prefix.length);
  return rest.length >= 12 ? `${prefix}…${rest.slice(-4)}` : `${prefix}…`;
}
