import { describe, expect, it } from 'vitest';
import { createCodeChallenge, createPkcePair, isPkceVerifierValid, isS256Challenge } from './pkce';

describe('PKCE S256', () => {
  it('matches the RFC 7636 appendix B example', () => {
    expect(createCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('creates qwen-code style pairs and verifies them', () => {
    const { codeVerifier, codeChallenge } = createPkcePair();
    expect(codeVerifier).toHaveLength(43);
    expect(isS256Challenge(codeChallenge)).toBe(true);
    expect(isPkceVerifierValid({ codeVerifier, codeChallenge })).toBe(true);
    expect(
      isPkceVerifierValid({ codeVerifier: `${codeVerifier.slice(0, -1)}A`, codeChallenge }),
    ).toBe(codeVerifier.endsWith('A'));
    expect(
      isPkceVerifierValid({ codeVerifier: 'short', codeChallenge: createCodeChallenge('short') }),
    ).toBe(false);
  });
});
