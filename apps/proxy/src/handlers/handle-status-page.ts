import type { RequestScope } from '../server/proxy-context';
import { createStatusPage, type StatusPage } from '../status/create-status-page';

let page: StatusPage | undefined;

/** GET / and GET /status: the self-contained status page; it polls /status.json. */
export function handleStatusPage({ scope }: { scope: RequestScope }): void {
  page ??= createStatusPage();
  scope.response.writeHead(200, page.headers);
  // node sends no body for HEAD by itself
  scope.response.end(page.body);
}
