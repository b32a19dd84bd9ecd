import { redactSecrets } from './redact-secrets';

/** Longest upstream body excerpt kept on an error by default. */
export const UPSTREAM_BODY_EXCERPT_LIMIT_IN_CHARS = 2048;

/**
 * A redacted, length-bounded excerpt of an upstream body for an error field or message:
 * whitespace runs collapsed, secrets removed before cutting (a token cut in half would slip
 * past the patterns), `…` marking a cut.
 */
export function excerptUpstreamBody({
  text,
  maxLengthInChars = UPSTREAM_BODY_EXCERPT_LIMIT_IN_CHARS,
}: {
  text: string;
  maxLengthInChars?: number;
}): string {
  const redacted = redactSecrets(text.replace(/\s+/g, ' ').trim());
  return redacted.length > maxLengthInChars ? `${redacted.slice(0, maxLengthInChars)}…` : redacted;
}
