import {
  API_GLOBAL,
  CLOSE_UNAUTHORIZED,
  WS_PATH,
  type InvokeChannel,
  type InvokeMap,
  type PushChannel,
  type ServerMessage,
  type StudioApi,
} from '../../preload/contract';

/** The state of the link to the studio service. */
export type LinkState =
  | { state: 'connecting' }
  | { state: 'open'; version: string }
  | { state: 'closed'; message: string };

/** A studio API plus the state of its link. */
export interface Carrier {
  api: StudioApi;
  onLinkState(listener: (state: LinkState) => void): () => void;
}

/**
 * The API the renderer talks through: the Electron preload's bridge when it
 * is there, otherwise browser mode over a WebSocket with the per-run token
 * taken from the URL fragment.
 */
export function createCarrier(): Carrier {
  const bridged = (window as unknown as Record<string, StudioApi | undefined>)[
    API_GLOBAL
  ];
  if (bridged !== undefined) {
    return {
      api: bridged,
      onLinkState(listener) {
        listener({ state: 'open', version: '' });
        return () => {};
      },
    };
  }
  return createSocketCarrier(readToken());
}

function readToken(): string {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const token = params.get('token') ?? sessionStorage.getItem('aspen-token');
  if (token !== null) {
    sessionStorage.setItem('aspen-token', token);
    // keep the token out of the address bar once read
    history.replaceState(null, '', window.location.pathname);
  }
  return token ?? '';
}

interface Waiting {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

function createSocketCarrier(token: string): Carrier {
  const pushListeners = new Map<PushChannel, Set<(payload: never) => void>>();
  const linkListeners = new Set<(state: LinkState) => void>();
  const waiting = new Map<number, Waiting>();
  const queued: string[] = [];
  let link: LinkState = { state: 'connecting' };
  let socket: WebSocket | undefined;
  let nextId = 1;
  let retryMs = 250;

  const setLink = (state: LinkState) => {
    link = state;
    linkListeners.forEach((listener) => listener(state));
  };

  const connect = () => {
    if (token === '') {
      setLink({ state: 'closed', message: 'token missing from the address' });
      return;
    }
    const ws = new WebSocket(`ws://${window.location.host}${WS_PATH}`);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', token }));
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      if (message.type === 'welcome') {
        retryMs = 250;
        setLink({ state: 'open', version: message.version });
        queued.splice(0).forEach((text) => ws.send(text));
      } else if (message.type === 'result') {
        const entry = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.ok) {
          entry?.resolve(message.value);
        } else {
          entry?.reject(
            Object.assign(new Error(message.error.message), {
              code: message.error.code,
            }),
          );
        }
      } else if (message.type === 'push') {
        pushListeners
          .get(message.channel)
          ?.forEach((listener) => listener(message.payload as never));
      }
    };
    ws.onclose = (event) => {
      for (const entry of waiting.values()) {
        entry.reject(new Error('connection to the studio lost'));
      }
      waiting.clear();
      if (event.code === CLOSE_UNAUTHORIZED) {
        setLink({ state: 'closed', message: 'token refused' });
        return;
      }
      setLink({ state: 'closed', message: 'reconnecting…' });
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  const api: StudioApi = {
    invoke<C extends InvokeChannel>(
      channel: C,
      payload: InvokeMap[C]['request'],
    ): Promise<InvokeMap[C]['response']> {
      const id = nextId++;
      const text = JSON.stringify({ type: 'invoke', id, channel, payload });
      return new Promise((resolve, reject) => {
        if (link.state === 'closed' && token === '') {
          reject(new Error(link.message));
          return;
        }
        waiting.set(id, { resolve: resolve as Waiting['resolve'], reject });
        if (link.state === 'open' && socket?.readyState === WebSocket.OPEN) {
          socket.send(text);
        } else {
          queued.push(text);
        }
      });
    },
    on(channel, listener) {
      const set = pushListeners.get(channel) ?? new Set();
      pushListeners.set(channel, set);
      set.add(listener as (payload: never) => void);
      return () => set.delete(listener as (payload: never) => void);
    },
  };

  return {
    api,
    onLinkState(listener) {
      linkListeners.add(listener);
      listener(link);
      return () => linkListeners.delete(listener);
    },
  };
}
