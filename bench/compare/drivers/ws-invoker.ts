// The browser-mode WebSocket from the client side: hello with the token,
// then `invoke` messages matched to their `result` by id, several in
// flight at once on one socket.
import WebSocket from 'ws';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** One authenticated WebSocket to our server. */
export class WsInvoker {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => this.onMessage(data.toString()));
    socket.on('close', () => this.failAll('socket closed'));
  }

  /** Connects and says hello; resolves once welcomed. */
  static open(port: number, token: string): Promise<WsInvoker> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`);
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.once('open', () =>
        socket.send(JSON.stringify({ type: 'hello', token })),
      );
      socket.once('message', (data) => {
        const message = JSON.parse(data.toString()) as { type?: string };
        if (message.type === 'welcome') {
          socket.off('error', reject);
          socket.on('error', () => {});
          resolve(new WsInvoker(socket));
        } else {
          reject(new Error(`no welcome: ${data.toString().slice(0, 200)}`));
        }
      });
    });
  }

  /** Sends one request; resolves with its value, rejects with its error. */
  invoke(channel: string, payload: unknown, timeoutMs = 10_000) {
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${channel}: timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.socket.send(
        JSON.stringify({ type: 'invoke', id, channel, payload }),
      );
    });
  }

  close(): void {
    this.socket.terminate();
  }

  private onMessage(text: string): void {
    const message = JSON.parse(text) as {
      type: string;
      id?: number;
      ok?: boolean;
      value?: unknown;
      error?: { code: string; message: string };
    };
    if (message.type !== 'result' || message.id === undefined) {
      return;
    }
    const pending = this.pending.get(message.id);
    if (pending === undefined) {
      return;
    }
    this.pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.ok) {
      pending.resolve(message.value);
    } else {
      const { code, message: why } = message.error ?? {};
      pending.reject(new Error(`${code}: ${why}`));
    }
  }

  private failAll(why: string): void {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error(why));
      this.pending.delete(id);
    }
  }
}
