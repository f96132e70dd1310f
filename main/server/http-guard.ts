import type { IncomingMessage } from 'node:http';

/**
 * Checks the Host and Origin of a request against the address the server
 * is bound to. A page on another origin, or a DNS-rebinding name that
 * resolves to 127.0.0.1, is refused (DESIGN §4, browser mode).
 */
export function isAllowedRequest(
  request: IncomingMessage,
  port: number,
): boolean {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  const host = request.headers.host;
  if (host === undefined || !allowedHosts.includes(host)) {
    return false;
  }
  const origin = request.headers.origin;
  if (origin === undefined) {
    return true;
  }
  return allowedHosts.some((allowed) => origin === `http://${allowed}`);
}
