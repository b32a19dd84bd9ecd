import { createHash, randomBytes } from 'node:crypto';

const VERIFIER_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;
const CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** S256 code challenge of a PKCE verifier (RFC 7636 §4.2): base64url(sha256(verifier)). */
export function createCodeChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

/** A PKCE pair the way qwen-code makes it: 32 random bytes, base64url (43 chars). */
export function createPkcePair(): { codeVerifier: string; codeChallenge: string } {
  const codeVerifier = randomBytes(32).toString('base64url');
  return { codeVerifier, codeChallenge: createCodeChallenge(codeVerifier) };
}

/** Is this a well-formed S256 challenge (43 base64url chars)? */
export function isS256Challenge(codeChallenge: string): boolean {
  return CHALLENGE_PATTERN.test(codeChallenge);
}

/** Does the verifier match the stored challenge (RFC 7636 §4.6)? */
export function isPkceVerifierValid({
  codeVerifier,
  codeChallenge,
}: {
  codeVerifier: string;
  codeChallenge: string;
}): boolean {
  return VERIFIER_PATTERN.test(codeVerifier) && createCodeChallenge(codeVerifier) === codeChallenge;
}
