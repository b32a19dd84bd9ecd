import { DEFAULT_MODEL_ALIASES } from '@qwen-relay/openai-adapter';
import { describe, expect, it } from 'vitest';
import { API_KEY_MODEL_IDS, resolveModelAliases } from './resolve-model-aliases';

describe('resolveModelAliases', () => {
  it('uses the portal aliases for OAuth accounts', () => {
    expect(resolveModelAliases({ configured: undefined, apiKeyMode: false })).toBe(
      DEFAULT_MODEL_ALIASES,
    );
  });

  it('maps API-key model names to themselves, never to portal-only aliases', () => {
    const table = resolveModelAliases({ configured: undefined, apiKeyMode: true });
    for (const id of API_KEY_MODEL_IDS) expect(table[id]).toBe(id);
    expect(Object.values(table)).not.toContain('coder-model');
  });

  it('lets a configured table win in both modes', () => {
    const configured = { fast: 'qwen3-coder-flash' };
    expect(resolveModelAliases({ configured, apiKeyMode: true })).toBe(configured);
    expect(resolveModelAliases({ configured, apiKeyMode: false })).toBe(configured);
  });
});
