import { describe, expect, it } from 'vitest';
import { matchRoute } from './match-route';

describe('matchRoute', () => {
  it('matches every endpoint with its method', () => {
    expect(matchRoute({ method: 'POST', target: '/v1/chat/completions' })).toEqual({
      kind: 'matched',
      route: 'chat-completions',
    });
    expect(matchRoute({ method: 'POST', target: '/v1/embeddings?x=1' })).toMatchObject({
      route: 'embeddings',
    });
    expect(matchRoute({ method: 'GET', target: '/v1/models/' })).toMatchObject({ route: 'models' });
    expect(matchRoute({ method: 'GET', target: '/health' })).toMatchObject({ route: 'health' });
    expect(matchRoute({ method: 'HEAD', target: '/metrics' })).toMatchObject({ route: 'metrics' });
    expect(matchRoute({ method: 'POST', target: '/v1/messages?beta=true' })).toMatchObject({
      route: 'messages',
    });
    expect(
      matchRoute({ method: 'POST', target: '/v1/messages/count_tokens?beta=true' }),
    ).toMatchObject({ route: 'messages-count-tokens' });
  });

  it('matches the probes and the status page with its data', () => {
    expect(matchRoute({ method: 'GET', target: '/livez' })).toMatchObject({ route: 'livez' });
    expect(matchRoute({ method: 'HEAD', target: '/readyz' })).toMatchObject({ route: 'readyz' });
    expect(matchRoute({ method: 'GET', target: '/' })).toMatchObject({ route: 'status-page' });
    expect(matchRoute({ method: 'GET', target: '/?key=1' })).toMatchObject({
      route: 'status-page',
    });
    expect(matchRoute({ method: 'GET', target: '/status/' })).toMatchObject({
      route: 'status-page',
    });
    expect(matchRoute({ method: 'GET', target: '/status.json' })).toMatchObject({
      route: 'status-json',
    });
    expect(matchRoute({ method: 'POST', target: '/' })).toEqual({
      kind: 'method-not-allowed',
      allowedMethods: ['GET', 'HEAD'],
    });
    expect(matchRoute({ method: 'GET', target: '/statusjson' })).toEqual({ kind: 'not-found' });
  });

  it('routes a stored response id for GET, HEAD and DELETE only', () => {
    for (const method of ['GET', 'HEAD', 'DELETE']) {
      expect(matchRoute({ method, target: '/v1/responses/resp_abc' })).toEqual({
        kind: 'matched',
        route: 'response',
        responseId: 'resp_abc',
      });
    }
    expect(matchRoute({ method: 'POST', target: '/v1/responses/resp_abc' })).toMatchObject({
      kind: 'method-not-allowed',
      allowedMethods: ['GET', 'HEAD', 'DELETE'],
    });
    expect(matchRoute({ method: 'POST', target: '/v1/responses' })).toMatchObject({
      route: 'responses',
    });
  });

  it('decodes model ids, slashes included', () => {
    expect(matchRoute({ method: 'GET', target: '/v1/models/qwen%2Fcoder-model' })).toEqual({
      kind: 'matched',
      route: 'model',
      modelId: 'qwen/coder-model',
    });
    expect(matchRoute({ method: 'GET', target: '/v1/models/a/b' })).toMatchObject({
      modelId: 'a/b',
    });
  });

  it('tells unknown paths from wrong methods', () => {
    expect(matchRoute({ method: 'GET', target: '/v1/nope' })).toEqual({ kind: 'not-found' });
    expect(matchRoute({ method: 'GET', target: '/v1/chat/completions' })).toEqual({
      kind: 'method-not-allowed',
      allowedMethods: ['POST'],
    });
    expect(matchRoute({ method: 'DELETE', target: '/v1/models' })).toEqual({
      kind: 'method-not-allowed',
      allowedMethods: ['GET', 'HEAD'],
    });
  });
});
