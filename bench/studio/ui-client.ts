// The client that plays the UI in bench:studio: a browser-mode WebSocket
// connection, as the renderer's carrier opens it, that counts every push
// it is sent and times requests while pushes keep arriving.
import { WebSocket } from 'ws';

import type {
  EventsBatch,
  InvokeChannel,
  InvokeMap,
  ServerMessage,
} from '../../preload/contract';

/** Pushes received since the counters were last reset. */
export interface PushCounts {
  /** Every push message, by channel. */
  byChannel: Record<string, number>;
  messages: number;
  /** Events carried by `events:batch` frames. */
  events: number;
  /** Events the frames said they left out. */
  skipped: number;
  /** The largest push message, in bytes of JSON. */
  largestMessageBytes: number;
}

function emptyCounts(): PushCounts {
  return {
    byChannel: {},
    messages: 0,
    events: 0,
    skipped: 0,
    largestMessageBytes: 0,
  };
}

/** A connected UI stand-in. */
export interface UiClient {
  invoke<C extends InvokeChannel>(
    channel: C,
    request: InvokeMap[C]['request'],
  ): Promise<InvokeMap[C]['response']>;
  /** The counters since the last call, which starts them afresh. */
  takeCounts(): PushCounts;
  close(): Promise<void>;
}

/** Opens /ws and says hello with the token, as the renderer does. */
export async function connectUi(port: number, token: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  const waiting = new Map<number, (message: ServerMessage) => void>();
  let counts = emptyCounts();
  let nextId = 1;

  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token })));
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'welcome') {
        resolve();
      } else if (message.type === 'result') {
        waiting.get(message.id)?.(message);
        waiting.delete(message.id);
      } else if (message.type === 'push') {
        count(counts, message, data.length);
      }
    });
  });

  const client: UiClient = {
    invoke(channel, request) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, (message) => {
          if (message.type === 'result' && message.ok) {
            resolve(message.value as never);
          } else if (message.type === 'result') {
            reject(
              new Error(`${message.error.code}: ${message.error.message}`),
            );
          }
        });
        ws.send(
          JSON.stringify({ type: 'invoke', id, channel, payload: request }),
        );
      });
    },
    takeCounts() {
      const taken = counts;
      counts = emptyCounts();
      return taken;
    },
    close: () =>
      new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
  return client;
}

function count(counts: PushCounts, message: ServerMessage, bytes: number) {
  if (message.type !== 'push') {
    return;
  }
  counts.messages += 1;
  counts.byChannel[message.channel] =
    (counts.byChannel[message.channel] ?? 0) + 1;
  counts.largestMessageBytes = Math.max(counts.largestMessageBytes, bytes);
  if (message.channel === 'events:batch') {
    const batch = message.payload as EventsBatch;
    counts.events += batch.events.length;
    counts.skipped += batch.skipped;
  }
}

/** Round trips of one request, sent one after another at a fixed pace. */
export async function probeRoundTrips(
  ui: UiClient,
  options: { durationMs: number; everyMs: number; stop?: () => boolean },
): Promise<number[]> {
  const samples: number[] = [];
  const until = performance.now() + options.durationMs;
  while (performance.now() < until && !options.stop?.()) {
    const started = performance.now();
    await ui.invoke('cluster:status', {});
    const took = performance.now() - started;
    samples.push(took);
    const rest = options.everyMs - took;
    if (rest > 0) {
      // pacing the probe, not waiting for a condition
      await new Promise((resolve) => setTimeout(resolve, rest));
    }
  }
  return samples;
}
