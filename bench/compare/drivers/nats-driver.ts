// NATS JetStream with the official client, as reference/baselines.md ran
// it: one connection per listed server, publishers shared round-robin over
// them, each publish awaiting its PubAck; the watch is an ordered consumer.
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

import type { Driver, WatchOutcome } from './driver';
import { VALUE_BYTES } from '../jobs';

/** The R3 file-backed stream every subject `bench.>` lands in. */
export const STREAM = 'BENCH';

const VALUE = new Uint8Array(VALUE_BYTES).fill(120);

/** A connection to exactly `server`, never redirected by cluster gossip. */
export function connectTo(server: string): Promise<NatsConnection> {
  return connect({
    servers: server,
    ignoreClusterUpdates: true,
    maxReconnectAttempts: 0,
  });
}

/** @param servers - `host:port`; client c uses connection c mod n. */
export async function natsDriver(servers: string[]): Promise<Driver> {
  const connections = await Promise.all(servers.map(connectTo));
  const clients: JetStreamClient[] = connections.map((nc) =>
    jetstream(nc, { timeout: 10_000 }),
  );

  return {
    async write(client, phase, _seq, timeoutMs) {
      const js = clients[client % clients.length]!;
      const subject = `bench.${phase}.c${client}`;
      await js.publish(subject, VALUE, timeoutMs ? { timeout: timeoutMs } : {});
    },
    watch: (phase, expect, capMs) =>
      watchSubjects(clients[0]!, phase, expect, capMs),
    async close() {
      await Promise.all(connections.map((nc) => nc.close()));
    },
  };
}

/** Reads `bench.<phase>.>` from the stream's start with an ordered consumer. */
async function watchSubjects(
  js: JetStreamClient,
  phase: string,
  expect: number,
  capMs: number,
): Promise<WatchOutcome> {
  const t0 = performance.now();
  const consumer = await js.consumers.get(STREAM, {
    filter_subjects: `bench.${phase}.>`,
  });
  const messages = await consumer.consume();
  const timer = setTimeout(() => messages.stop(), capMs);
  let delivered = 0;
  let firstMs = -1;
  try {
    for await (const _message of messages) {
      if (firstMs < 0) {
        firstMs = performance.now() - t0;
      }
      delivered += 1;
      if (delivered >= expect) {
        break;
      }
    }
  } finally {
    clearTimeout(timer);
    messages.stop();
  }
  return { delivered, firstMs, wallMs: performance.now() - t0 };
}
