// etcd through its JSON gateway (/v3/kv/put, /v3/watch) over keep-alive
// HTTP, as reference/baselines.md measured it: the gateway was no slower
// than gRPC there and costs the client half the CPU.
import { request } from 'node:http';

import { describe, type Driver, type WatchOutcome } from './driver';
import { JsonEndpoint } from '../http-json';
import { VALUE_BYTES } from '../jobs';

const VALUE = Buffer.alloc(VALUE_BYTES, 'x').toString('base64');

function base64(text: string): string {
  return Buffer.from(text).toString('base64');
}

/** The key space of one phase: `bench/<phase>/`. */
function prefixOf(phase: string): string {
  return `bench/${phase}/`;
}

/**
 * @param endpoints - `host:port` of client URLs; client c uses c mod n.
 * @param clients - concurrent clients, spread evenly so each has its own
 *   connection (Infinity for failover probes, which overlap).
 */
export function etcdDriver(endpoints: string[], clients: number): Driver {
  const perEndpoint = Math.ceil(clients / endpoints.length);
  const pool = endpoints.map((endpoint) => {
    const [host, port] = endpoint.split(':');
    return new JsonEndpoint(host!, Number(port), perEndpoint);
  });
  // keys are unique across load generators: the pid tells processes apart
  const run = process.pid.toString(36);

  return {
    async write(client, phase, seq, timeoutMs) {
      const endpoint = pool[client % pool.length]!;
      const key = base64(`${prefixOf(phase)}${run}-${seq}`);
      await endpoint.call('/v3/kv/put', { key, value: VALUE }, timeoutMs);
    },
    watch: (phase, expect, capMs) =>
      watchPrefix(pool[0]!, phase, expect, capMs),
    async close() {
      pool.forEach((endpoint) => endpoint.close());
    },
  };
}

/** Watches the phase's prefix from revision 1 and counts put events. */
function watchPrefix(
  endpoint: JsonEndpoint,
  phase: string,
  expect: number,
  capMs: number,
): Promise<WatchOutcome> {
  const prefix = prefixOf(phase);
  // a prefix's range end is the prefix with its last byte plus one
  const last = prefix.charCodeAt(prefix.length - 1);
  const end = prefix.slice(0, -1) + String.fromCharCode(last + 1);
  const body = JSON.stringify({
    create_request: {
      key: base64(prefix),
      range_end: base64(end),
      start_revision: 1,
    },
  });
  const t0 = performance.now();
  let firstMs = -1;
  let delivered = 0;
  let isDone = false;
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      if (isDone) {
        return;
      }
      isDone = true;
      clearTimeout(timer);
      req.destroy();
      if (error !== undefined) {
        reject(error);
        return;
      }
      resolve({ delivered, firstMs, wallMs: performance.now() - t0 });
    };
    const timer = setTimeout(() => finish(), capMs);
    const req = request(
      {
        host: endpoint.host,
        port: endpoint.port,
        path: '/v3/watch',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let buffered = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffered += chunk;
          let newline = buffered.indexOf('\n');
          while (newline >= 0) {
            const line = buffered.slice(0, newline);
            buffered = buffered.slice(newline + 1);
            newline = buffered.indexOf('\n');
            let events: number;
            try {
              events = countEvents(line);
            } catch (error) {
              finish(error as Error);
              return;
            }
            if (events > 0 && firstMs < 0) {
              firstMs = performance.now() - t0;
            }
            delivered += events;
            if (delivered >= expect) {
              finish();
              return;
            }
          }
        });
      },
    );
    req.on('error', (error) => finish(new Error(`watch: ${describe(error)}`)));
    req.end(body);
  });
}

function countEvents(line: string): number {
  if (line.trim() === '') {
    return 0;
  }
  const message = JSON.parse(line) as {
    result?: { events?: unknown[] };
    error?: { message?: string };
  };
  if (message.error !== undefined) {
    throw new Error(`watch: ${message.error.message ?? line.slice(0, 200)}`);
  }
  return message.result?.events?.length ?? 0;
}
