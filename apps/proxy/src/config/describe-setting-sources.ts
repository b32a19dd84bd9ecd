/**
 * The start-up line that says where each set setting came from, names and sources only (values
 * may be secrets): `Settings: PORT from the environment; QWEN_OAUTH_BASE_URL from
 * /home/me/.qwen-relay/.env; PROXY_API_KEYS from a flag`. Undefined when every setting is default.
 */
export function describeSettingSources(
  settingSources: Readonly<Record<string, string>>,
): string | undefined {
  const namesBySource = new Map<string, string[]>();
  for (const [name, source] of Object.entries(settingSources)) {
    const names = namesBySource.get(source) ?? [];
    names.push(name);
    namesBySource.set(source, names);
  }
  if (namesBySource.size === 0) return undefined;
  const parts = [...namesBySource].map(([source, names]) => {
    const origin = source === 'flag' ? 'flags' : source === 'env' ? 'the environment' : source;
    return `${names.sort().join(', ')} from ${origin}`;
  });
  return `Settings: ${parts.join('; ')}`;
}
