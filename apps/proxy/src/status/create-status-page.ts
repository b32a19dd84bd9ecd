import { createHash } from 'node:crypto';
import statusPageHtml from './status-page.html';

/** The status page, ready to send: its bytes and the headers that lock it down. */
export interface StatusPage {
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

function hashInline({ html, tag }: { html: string; tag: 'script' | 'style' }): string {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (match?.[1] === undefined) throw new Error(`the status page has no inline <${tag}>`);
  return `'sha256-${createHash('sha256').update(match[1], 'utf8').digest('base64')}'`;
}

/**
 * Builds the self-contained status page (HTML, CSS and script in one document, no CDN) with a
 * Content-Security-Policy that allows exactly its own inline script and style by hash and
 * connections to its own origin only: nothing else loads, nothing frames it, no form posts.
 */
export function createStatusPage(html: string = statusPageHtml): StatusPage {
  const policy = [
    "default-src 'none'",
    `script-src ${hashInline({ html, tag: 'script' })}`,
    `style-src ${hashInline({ html, tag: 'style' })}`,
    "connect-src 'self'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  const body = Buffer.from(html, 'utf8');
  return {
    body,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': String(body.byteLength),
      'Content-Security-Policy': policy,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    },
  };
}
