/** The proxy's endpoints. */
export type RouteName =
  | 'chat-completions'
  | 'responses'
  | 'response'
  | 'embeddings'
  | 'messages'
  | 'messages-count-tokens'
  | 'models'
  | 'model'
  | 'health'
  | 'metrics'
  | 'livez'
  | 'readyz'
  | 'status-page'
  | 'status-json';

/** Result of routing a request: a route, an unknown path, or a known path with the wrong method. */
export type RouteMatch =
  | { kind: 'matched'; route: RouteName; modelId?: string; responseId?: string }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allowedMethods: readonly string[] };

const ROUTES: ReadonlyArray<{ route: RouteName; pattern: RegExp; methods: readonly string[] }> = [
  { route: 'chat-completions', pattern: /^\/v1\/chat\/completions$/, methods: ['POST'] },
  { route: 'responses', pattern: /^\/v1\/responses$/, methods: ['POST'] },
  // a stored response (`store: true`): read or forget it
  { route: 'response', pattern: /^\/v1\/responses\/([^/]+)$/, methods: ['GET', 'HEAD', 'DELETE'] },
  { route: 'embeddings', pattern: /^\/v1\/embeddings$/, methods: ['POST'] },
  // Claude Code appends `?beta=true`; the query is not part of the match
  { route: 'messages', pattern: /^\/v1\/messages$/, methods: ['POST'] },
  {
    route: 'messages-count-tokens',
    pattern: /^\/v1\/messages\/count_tokens$/,
    methods: ['POST'],
  },
  { route: 'models', pattern: /^\/v1\/models$/, methods: ['GET', 'HEAD'] },
  // model ids may contain slashes (`qwen/qwen3-coder`), so the id is the whole rest of the path
  { route: 'model', pattern: /^\/v1\/models\/(.+)$/, methods: ['GET', 'HEAD'] },
  { route: 'health', pattern: /^\/health$/, methods: ['GET', 'HEAD'] },
  { route: 'metrics', pattern: /^\/metrics$/, methods: ['GET', 'HEAD'] },
  { route: 'livez', pattern: /^\/livez$/, methods: ['GET', 'HEAD'] },
  { route: 'readyz', pattern: /^\/readyz$/, methods: ['GET', 'HEAD'] },
  { route: 'status-page', pattern: /^\/(?:status)?$/, methods: ['GET', 'HEAD'] },
  { route: 'status-json', pattern: /^\/status\.json$/, methods: ['GET', 'HEAD'] },
];

/** Maps a method and a request target (path plus optional query) to a route. */
export function matchRoute({ method, target }: { method: string; target: string }): RouteMatch {
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  // a trailing slash is a common client slip (`/v1/models/`); treat it as the same path
  const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath;
  for (const { route, pattern, methods } of ROUTES) {
    const match = pattern.exec(path);
    if (match === null) continue;
    if (!methods.includes(method)) return { kind: 'method-not-allowed', allowedMethods: methods };
    if (route === 'model' || route === 'response') {
      let id = match[1] ?? '';
      try {
        id = decodeURIComponent(id);
      } catch {
        // keep the raw id: an invalid escape simply names one that does not exist
      }
      return route === 'model'
        ? { kind: 'matched', route, modelId: id }
        : { kind: 'matched', route, responseId: id };
    }
    return { kind: 'matched', route };
  }
  return { kind: 'not-found' };
}
