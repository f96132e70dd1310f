// The load of bench:studio, in its own process so that it does not share
// an event loop with the client that plays the UI. It publishes through
// the public browser-mode API (the WebSocket carrier, `events:publish`,
// one event per request: the contract has no batch publish) at a fixed
// offered rate, with a cap on requests in flight, and prints one JSON line
// of what it achieved.
import { WebSocket } from 'ws';

import type { ServerMessage } from '../../preload/contract';

/** What the parent asks for (argv[2], JSON). */
export interface LoadSpec {
  port: number;
  token: string;
  /** Offered events per second. */
  rate: number;
  seconds: number;
  /** Requests in flight at most; past it the offered rate is not met. */
  maxInFlight: number;
  topic: string;
}

/** What the generator prints when it is done. */
export interface LoadResult {
  offered: number;
  sent: number;
  /** Acknowledged before the window closed: the sustained figure. */
  ackedInWindow: number;
  /** Acknowledged in all, once the requests still in flight were answered. */
  acked: number;
  errors: number;
  firstError: string | null;
  elapsedMs: number;
  /** After the window, until the last request was answered. */
  drainMs: number;
  /** Ticks on which the in-flight cap held requests back. */
  cappedTicks: number;
  ticks: number;
  ackP50Ms: number;
  ackP99Ms: number;
}

const TICK_MS = 5;
const PADDING = 'x'.repeat(64);

function percentile(sorted: number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
  );
}

async function connect(spec: LoadSpec): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${spec.port}/ws`);
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      ws.send(JSON.stringify({ type: 'hello', token: spec.token })),
    );
    ws.once('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage;
      if (message.type === 'welcome') {
        resolve();
      } else {
        reject(new Error(`expected welcome, got ${message.type}`));
      }
    });
  });
  return ws;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const ws = await connect(spec);
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let nextId = 1;
  let acked = 0;
  let errors = 0;
  let firstError: string | null = null;

  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as ServerMessage;
    if (message.type !== 'result') {
      return;
    }
    const at = sentAt.get(message.id);
    sentAt.delete(message.id);
    if (at !== undefined) {
      latencies.push(performance.now() - at);
    }
    if (message.ok) {
      acked += 1;
    } else {
      errors += 1;
      firstError ??= `${message.error.code}: ${message.error.message}`;
    }
  });

  // paced by the clock, not by the tick count: a late tick sends more
  const total = Math.round(spec.rate * spec.seconds);
  const started = performance.now();
  let sent = 0;
  let ticks = 0;
  let cappedTicks = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      ticks += 1;
      const elapsed = performance.now() - started;
      const due = Math.min(total, Math.floor((elapsed / 1000) * spec.rate));
      while (sent < due && sentAt.size < spec.maxInFlight) {
        const id = nextId++;
        sentAt.set(id, performance.now());
        const payload = { n: sent, pad: PADDING };
        ws.send(
          JSON.stringify({
            type: 'invoke',
            id,
            channel: 'events:publish',
            payload: { topic: spec.topic, payload },
          }),
        );
        sent += 1;
      }
      if (sent < due) {
        cappedTicks += 1;
      }
      if (elapsed >= spec.seconds * 1000) {
        resolve();
        return;
      }
      setTimeout(tick, TICK_MS);
    };
    tick();
  });
  const elapsedMs = performance.now() - started;
  const ackedInWindow = acked;

  // what was sent in the window is still answered, however late
  const deadline = performance.now() + 30_000;
  while (sentAt.size > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const drainMs = performance.now() - started - elapsedMs;
  ws.close();
  latencies.sort((a, b) => a - b);
  return {
    offered: total,
    sent,
    ackedInWindow,
    acked,
    errors,
    firstError,
    elapsedMs,
    drainMs,
    cappedTicks,
    ticks,
    ackP50Ms: percentile(latencies, 0.5),
    ackP99Ms: percentile(latencies, 0.99),
  };
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
void run(spec).then(
  (result) => {
    process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
