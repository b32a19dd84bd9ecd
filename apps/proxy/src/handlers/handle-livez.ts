import { sendJson } from '../http/send-json';
import type { RequestScope } from '../server/proxy-context';

/** GET /livez: 200 while the process answers HTTP at all (a liveness probe restarts it otherwise). */
export function handleLivez({ scope }: { scope: RequestScope }): void {
  sendJson({
    response: scope.response,
    status: 200,
    body: { status: 'live' },
    headers: { 'Cache-Control': 'no-store' },
  });
}
