import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStatusPage } from './create-status-page';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

describe('createStatusPage', () => {
  it('allows exactly the inline script and style by hash', () => {
    const page = createStatusPage('<style>b{}</style><p>x</p><script>go()</script>');
    const policy = page.headers['Content-Security-Policy'];
    expect(policy).toContain(`script-src 'sha256-${sha256('go()')}'`);
    expect(policy).toContain(`style-src 'sha256-${sha256('b{}')}'`);
    expect(page.headers['Content-Length']).toBe(String(page.body.byteLength));
  });

  it('ships the real page: self-contained, polling status.json, keeping the key in the tab', () => {
    const html = createStatusPage().body.toString('utf8');
    expect(html).toContain("fetch('status.json'");
    expect(html).toContain('sessionStorage');
    expect(html).not.toContain('localStorage');
    expect(html).not.toContain('document.cookie');
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)="(?!data:)/);
  });

  it('refuses a page without an inline script rather than serving it unprotected', () => {
    expect(() => createStatusPage('<style></style>')).toThrow(/no inline <script>/);
  });
});
