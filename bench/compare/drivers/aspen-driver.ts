// Ours, through the studio's browser-mode API: `events:publish` to write,
// `events:range` pages to read every event from the start, `cluster:kill`
// for failover. Over HTTP keep-alive (one connection per client) or the
// WebSocket (one socket per client); both are the public API.
import type { Driver, WatchOutcome } from './driver';
import { WsInvoker } from './ws-invoker';
import { JsonEndpoint } from '../http-json';
import { VALUE_BYTES } from '../jobs';

// 256 ASCII characters: 256 bytes in the state, as the others store
const VALUE = 'x'.repeat(VALUE_BYTES);

/** Most events one `events:range` page carries (the contract's bound). */
const PAGE = 1000;

type Invoke = (
  channel: string,
  payload: unknown,
  timeoutMs?: number,
) => Promise<unknown>;

/** Options of {@link aspenDriver}. */
export interface AspenDriverOptions {
  port: number;
  token: string;
  carrier: 'http' | 'ws';
  /** Connections to hold: one per concurrent client. */
  connections: number;
}

export async function aspenDriver(options: AspenDriverOptions) {
  const { invokers, close } = await openCarrier(options);
  const pick = (client: number) => invokers[client % invokers.length]!;

  const driver: Driver = {
    async write(client, phase, _seq, timeoutMs) {
      const topic = `bench.${phase}.c${client}`;
      await pick(client)(
        'events:publish',
        { topic, payload: VALUE },
        timeoutMs,
      );
    },
    watch: (phase, expect, capMs) => readAll(pick(0), phase, expect, capMs),
    async killNode(node) {
      await pick(0)('cluster:kill', { node });
    },
    close: async () => close(),
  };
  return driver;
}

async function openCarrier(options: AspenDriverOptions) {
  if (options.carrier === 'http') {
    const endpoint = new JsonEndpoint(
      '127.0.0.1',
      options.port,
      options.connections,
      { 'x-aspen-token': options.token },
    );
    const invoke: Invoke = (channel, payload, timeoutMs) =>
      endpoint.call(`/api/${channel}`, payload, timeoutMs);
    return { invokers: [invoke], close: () => endpoint.close() };
  }
  // one socket carries any number of requests at once: failover probes
  // and the watch, which ask for unbounded connections, share one
  const count = Number.isFinite(options.connections) ? options.connections : 1;
  const sockets = await Promise.all(
    Array.from({ length: count }, () =>
      WsInvoker.open(options.port, options.token),
    ),
  );
  const invokers: Invoke[] = sockets.map(
    (socket) => (channel, payload, timeoutMs) =>
      socket.invoke(channel, payload, timeoutMs),
  );
  return {
    invokers,
    close: () => sockets.forEach((socket) => socket.close()),
  };
}

/** Pages through the phase's events from the earliest retained one. */
async function readAll(
  invoke: Invoke,
  phase: string,
  expect: number,
  capMs: number,
): Promise<WatchOutcome> {
  const t0 = performance.now();
  const deadline = t0 + capMs;
  let firstMs = -1;
  let delivered = 0;
  let from: string | undefined;
  while (delivered < expect && performance.now() < deadline) {
    const page = (await invoke('events:range', {
      ...(from === undefined ? {} : { from }),
      limit: PAGE,
      pattern: `bench.${phase}.>`,
    })) as { events: unknown[]; next: string | null };
    if (page.events.length > 0 && firstMs < 0) {
      firstMs = performance.now() - t0;
    }
    delivered += page.events.length;
    if (page.next === null) {
      break;
    }
    from = page.next;
  }
  return { delivered, firstMs, wallMs: performance.now() - t0 };
}
