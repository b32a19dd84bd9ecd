import type { ServerResponse } from 'node:http';
import { sendBody, sendHtml, sendJson } from '../http/send-response';
import type { FakeQwen } from '../types';

const PAST_TENSE = { approve: 'approved', deny: 'denied', expire: 'expired' } as const;
const ADMIN_PATTERN = /^\/_admin\/(approve|deny|expire)\/([A-Za-z0-9]+)$/;

/**
 * Browser-step hooks for other processes (docs/qwen-upstream.md §6): `POST
 * /_admin/approve|deny|expire/<user_code>`, and `GET /authorize?user_code=` serving a tiny
 * approve/deny page. Returns false when the path is not one.
 */
export function handleAdminRoute({
  fake,
  method,
  path,
  query,
  response,
}: {
  fake: FakeQwen;
  method: string;
  path: string;
  query: URLSearchParams;
  response: ServerResponse;
}): boolean {
  if (method === 'GET' && path === '/authorize') {
    const userCode = (query.get('user_code') ?? '').replace(/[^A-Za-z0-9]/g, '');
    sendHtml({
      response,
      status: 200,
      html: `<!DOCTYPE html><html><body><h1>fake-qwen: authorize ${userCode}</h1>
<form method="post" action="/_admin/approve/${userCode}"><button>Approve</button></form>
<form method="post" action="/_admin/deny/${userCode}"><button>Deny</button></form></body></html>`,
    });
    return true;
  }
  const match = ADMIN_PATTERN.exec(path);
  if (!match || method !== 'POST') return false;
  const [, action, userCode] = match as unknown as [string, 'approve' | 'deny' | 'expire', string];
  try {
    if (action === 'approve') fake.approve(userCode);
    else if (action === 'deny') fake.deny(userCode);
    else fake.expireDeviceCode(userCode);
  } catch {
    sendJson({ response, status: 404, value: { error: 'unknown_user_code' } });
    return true;
  }
  sendBody({
    response,
    status: 200,
    body: `${PAST_TENSE[action]} ${userCode}\n`,
    contentType: 'text/plain',
  });
  return true;
}
