import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import { isAllowedRequest } from './http-guard';
import { readStatic } from './static-files';
import {
  CONTENT_SECURITY_POLICY,
  isInvokeChannel,
  type ContractError,
  type InvokeChannel,
  type InvokeMap,
} from '../../preload/contract';

/** Handlers for the contract's request channels. */
export type InvokeHandlers = {
  [C in InvokeChannel]: (
    request: InvokeMap[C]['request'],
  ) => Promise<InvokeMap[C]['response']> | InvokeMap[C]['response'];
};

/** Options of {@link startBrowserServer}. */
export interface BrowserServerOptions {
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  /** Port to bind on 127.0.0.1; 0 picks a free one. */
  port?: number;
  handlers: InvokeHandlers;
}

/** A running browser-mode server. */
export interface BrowserServer {
  /** The address to open, with the per-run token in the fragment. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

/**
 * Serves the renderer and the contract over HTTP on 127.0.0.1 only. The
 * per-run token travels in the URL fragment to the page, then back in the
 * `x-aspen-token` header; never in a query string or cookie.
 */
export async function startBrowserServer(
  options: BrowserServerOptions,
): Promise<BrowserServer> {
  const token = randomBytes(24).toString('base64url');
  let port = options.port ?? 0;
  const server: Server = createServer((request, response) => {
    void handle(request, response).catch(() => {
      send(response, 500, { code: 'INTERNAL', message: 'internal error' });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse) {
    response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Referrer-Policy', 'no-referrer');
    if (!isAllowedRequest(request, port)) {
      send(response, 403, { code: 'FORBIDDEN_HOST', message: 'bad host' });
      return;
    }
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (path.startsWith('/api/')) {
      await handleApi(request, response, path.slice('/api/'.length));
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, { code: 'METHOD', message: 'method not allowed' });
      return;
    }
    const file = await readStatic(options.rendererDir, path);
    if (file === undefined) {
      send(response, 404, { code: 'NOT_FOUND', message: path });
      return;
    }
    response.writeHead(200, { 'Content-Type': file.type });
    response.end(file.body);
  }

  async function handleApi(
    request: IncomingMessage,
    response: ServerResponse,
    channel: string,
  ) {
    if (!hasToken(request.headers['x-aspen-token'], token)) {
      send(response, 401, { code: 'UNAUTHORIZED', message: 'token missing' });
      return;
    }
    if (request.method !== 'POST' || !isInvokeChannel(channel)) {
      send(response, 404, { code: 'UNKNOWN_CHANNEL', message: channel });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(request));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      send(response, 400, { code: 'BAD_REQUEST', message });
      return;
    }
    const handler = options.handlers[channel] as (r: unknown) => unknown;
    send(response, 200, await handler(body));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function hasToken(header: string | string[] | undefined, token: string) {
  if (typeof header !== 'string') {
    return false;
  }
  const given = Buffer.from(header);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown | ContractError,
) {
  response.writeHead(status, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8') || '{}';
}
