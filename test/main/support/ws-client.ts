import { WebSocket } from 'ws';

import type {
  ContractError,
  PushChannel,
  ServerMessage,
  StudioApi,
} from '../../../preload/contract';

/** A browser-mode client in Node: the contract over the WebSocket. */
export interface WsClient {
  api: StudioApi;
  close(): Promise<void>;
}

/**
 * Connects like the renderer's carrier does: opens /ws, says hello with
 * the token, then sends requests and dispatches pushes as JSON messages.
 * A failed request rejects with an Error carrying `code`, as the
 * renderer's carrier does.
 */
export async function connectWs(
  port: number,
  token: string,
): Promise<WsClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const waiting = new Map<
    number,
    { resolve(value: unknown): void; reject(error: unknown): void }
  >();
  const listeners = new Map<PushChannel, Set<(payload: never) => void>>();
  let nextId = 1;

  const welcomed = new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token })));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'welcome') {
        resolve();
      } else if (message.type === 'result') {
        const entry = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.ok) {
          entry?.resolve(message.value);
        } else {
          entry?.reject(toError(message.error));
        }
      } else if (message.type === 'push') {
        listeners
          .get(message.channel)
          ?.forEach((listener) => listener(message.payload as never));
      }
    });
    ws.once('close', (code) => reject(new Error(`closed with ${code}`)));
  });
  await welcomed;

  const api: StudioApi = {
    invoke(channel, payload) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
      });
    },
    on(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
  return {
    api,
    close: () =>
      new Promise((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
}

function toError(error: ContractError): Error {
  return Object.assign(new Error(error.message), { code: error.code });
}
