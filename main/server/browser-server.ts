import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

import { isAllowedRequest } from './http-guard';
import { createRouter, type InvokeHandlers, type Router } from './router';
import { readStatic } from './static-files';
import { createToken, tokensMatch } from './token';
import { attachWsCarrier, type WsCarrier } from './ws-carrier';
import {
  CONTENT_SECURITY_POLICY,
  type ContractError,
} from '../../preload/contract';

/** Options of {@link startBrowserServer}. */
export interface BrowserServerOptions {
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  /** Port to bind on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** The service's router; or handlers for part of the contract. */
  router?: Router;
  handlers?: Partial<InvokeHandlers>;
  /** Reported to clients in the WebSocket welcome. @defaultValue '0' */
  version?: string;
}

/** A running browser-mode server. */
export interface BrowserServer {
  /** The address to open, with the per-run token in the fragment. */
  url: string;
  port: number;
  token: string;
  /** Pushes to every connected page. */
  pushes: WsCarrier;
  close(): Promise<void>;
}

// request bodies carry a config or a payload of up to 1 MiB, plus framing
const MAX_BODY_BYTES = 2 << 20;

const STATUS_BY_CODE: Record<string, number> = {
  UNKNOWN_CHANNEL: 404,
  UNAVAILABLE: 404,
  INTERNAL: 500,
};

/**
 * Serves the renderer and the contract over HTTP on 127.0.0.1 only. The
 * per-run token travels in the URL fragment to the page, then back in the
 * `x-aspen-token` header; never in a query string or cookie.
 */
export async function startBrowserServer(
  options: BrowserServerOptions,
): Promise<BrowserServer> {
  const token = createToken();
  const router = options.router ?? createRouter(options.handlers ?? {});
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
    if (!tokensMatch(request.headers['x-aspen-token'], token)) {
      send(response, 401, {
        code: 'UNAUTHORIZED',
        message: 'missing or wrong x-aspen-token header',
      });
      return;
    }
    if (request.method !== 'POST') {
      send(response, 405, { code: 'METHOD', message: 'POST only' });
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
    const result = await router(channel, body);
    if (result.ok) {
      send(response, 200, result.value);
    } else {
      const status = STATUS_BY_CODE[result.error.code] ?? 400;
      send(response, status, result.error);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const pushes = attachWsCarrier(server, {
    port: () => port,
    token,
    router,
    version: options.version ?? '0',
  });

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    pushes,
    close: async () => {
      await pushes.close();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
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
