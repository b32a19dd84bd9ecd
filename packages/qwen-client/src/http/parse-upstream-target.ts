// upstream URLs are a handful (one per base URL and endpoint): parse each once, not per attempt
const MAX_CACHED_TARGETS = 64;
const parsedTargets = new Map<string, { origin: string; path: string }>();

/** The origin and path (with query) of an upstream URL, as undici's dispatch options take them. */
export function parseUpstreamTarget(url: string): { origin: string; path: string } {
  let target = parsedTargets.get(url);
  if (target === undefined) {
    const parsed = new URL(url);
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (parsedTargets.size >= MAX_CACHED_TARGETS) parsedTargets.clear();
    parsedTargets.set(url, target);
  }
  return target;
}
