import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocketServer, type WebSocket } from 'ws';

import { isAllowedRequest } from './http-guard';
import type { Router } from './router';
import { tokensMatch } from './token';
import {
  CLOSE_UNAUTHORIZED,
  WS_PATH,
  type ClientMessage,
  type PushChannel,
  type ServerMessage,
} from '../../preload/contract';

/** Options of {@link attachWsCarrier}. */
export interface WsCarrierOptions {
  /** The port the HTTP server listens on (for the Host check). */
  port(): number;
  token: string;
  router: Router;
  version: string;
  /** A client must say hello within this long. @defaultValue 5000 */
  helloTimeoutMs?: number;
  /** A client further behind than this is skipped. @defaultValue 8 MiB */
  maxBufferedBytes?: number;
}

/** The push side of the carrier. */
export interface WsCarrier {
  /** Sends a push to every authenticated client that is keeping up. */
  broadcast(channel: PushChannel, payload: unknown): void;
  /** Clients that are connected and authenticated. */
  readonly clientCount: number;
  close(): Promise<void>;
}

// a request carries a config or a payload of up to 1 MiB, plus framing
const MAX_MESSAGE_BYTES = 2 << 20;

/**
 * The browser-mode WebSocket: the upgrade passes the same Host and Origin
 * check as every request, the first message must carry the per-run token,
 * then requests and pushes flow as JSON messages of the contract.
 */
export function attachWsCarrier(
  server: Server,
  options: WsCarrierOptions,
): WsCarrier {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
  });
  const clients = new Set<WebSocket>();
  const maxBuffered = options.maxBufferedBytes ?? 8 << 20;

  const onUpgrade = (
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
  ) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== WS_PATH || !isAllowedRequest(request, options.port())) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws));
  };
  server.on('upgrade', onUpgrade);

  function accept(ws: WebSocket): void {
    let isAuthenticated = false;
    const helloTimer = setTimeout(
      () => ws.close(CLOSE_UNAUTHORIZED, 'no hello'),
      options.helloTimeoutMs ?? 5000,
    );
    ws.on('close', () => {
      clearTimeout(helloTimer);
      clients.delete(ws);
    });
    ws.on('message', (data, isBinary) => {
      const message = parse(data.toString(), isBinary);
      if (!isAuthenticated) {
        if (
          message?.type === 'hello' &&
          tokensMatch(message.token, options.token)
        ) {
          isAuthenticated = true;
          clearTimeout(helloTimer);
          clients.add(ws);
          send(ws, { type: 'welcome', version: options.version });
        } else {
          ws.close(CLOSE_UNAUTHORIZED, 'unauthorized');
        }
        return;
      }
      if (message?.type !== 'invoke' || !Number.isInteger(message.id)) {
        ws.close(1008, 'malformed message');
        return;
      }
      void options
        .router(message.channel, message.payload)
        .then((result) =>
          send(ws, { type: 'result', id: message.id, ...result }),
        );
    });
  }

  return {
    broadcast(channel, payload) {
      for (const ws of clients) {
        // a client that cannot keep up misses pushes rather than growing
        // our memory; the next status push brings it back in line
        if (ws.bufferedAmount <= maxBuffered) {
          send(ws, { type: 'push', channel, payload });
        }
      }
    },
    get clientCount() {
      return clients.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.off('upgrade', onUpgrade);
        for (const ws of clients) {
          ws.terminate();
        }
        wss.close(() => resolve());
      }),
  };
}

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState === ws.OPEN) {
    ws.send(JSON.stringify(message));
  }
}

function parse(text: string, isBinary: boolean): ClientMessage | undefined {
  if (isBinary) {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as ClientMessage;
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
