// Two TcpTransports on loopback, in this one process: messages per second
// and round-trip latency for append messages carrying 256-byte entries.
// Node 2 answers every append with an appResp; node 1 keeps a fixed number
// of appends in flight. Prints figures and writes
// bench/results/transport.json; asserts nothing.
//
//   node --import tsx bench/transport.bench.ts
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { systemClock } from '../engine/ports/clock';
import { silentLogger } from '../engine/ports/logger';
import { SeededRng } from '../engine/ports/rng';
import type { Entry, Message } from '../engine/raft/types';
import { TcpTransport } from '../engine/transport/tcp-transport';

const ENTRY_BYTES = 256;

interface Run {
  name: string;
  /** Appends in flight at once. */
  window: number;
  entriesPerMessage: number;
  messages: number;
}

interface Result extends Run {
  seconds: number;
  messagesPerSecond: number;
  entriesPerSecond: number;
  rttMeanMs: number;
  rttP50Ms: number;
  rttP99Ms: number;
}

const RUNS: Run[] = [
  { name: 'warm-up', window: 32, entriesPerMessage: 1, messages: 20_000 },
  { name: 'ping-pong', window: 1, entriesPerMessage: 1, messages: 5_000 },
  { name: 'window 64', window: 64, entriesPerMessage: 1, messages: 100_000 },
  { name: 'window 256', window: 256, entriesPerMessage: 1, messages: 200_000 },
  { name: 'batched x16', window: 64, entriesPerMessage: 16, messages: 20_000 },
];

function entries(count: number): Entry[] {
  const data = new Uint8Array(ENTRY_BYTES).fill(0x61);
  return Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    term: 1,
    type: 'normal' as const,
    data,
  }));
}

function message(from: number, to: number, fields: Partial<Message>) {
  return {
    type: 'app' as const,
    from,
    to,
    term: 1,
    logTerm: 1,
    index: 0,
    entries: [],
    commit: 0,
    reject: false,
    rejectHint: 0,
    hintTerm: 0,
    context: 0,
    ...fields,
  };
}

function percentile(sorted: Float64Array, p: number): number {
  const at = Math.min(sorted.length - 1, Math.floor(sorted.length * p));
  return sorted[at] ?? 0;
}

function measure(a: TcpTransport, run: Run): Promise<Result> {
  const batch = entries(run.entriesPerMessage);
  const sentAt = new Float64Array(run.messages);
  const rtt = new Float64Array(run.messages);
  let sent = 0;
  let done = 0;
  const started = performance.now();

  return new Promise((resolve) => {
    const sendOne = () => {
      sentAt[sent] = performance.now();
      a.send([message(1, 2, { index: sent, entries: batch })]);
      sent++;
    };
    const unsubscribe = a.onMessage((reply) => {
      rtt[reply.index] = performance.now() - (sentAt[reply.index] ?? 0);
      done++;
      if (sent < run.messages) {
        sendOne();
      }
      if (done === run.messages) {
        unsubscribe();
        const seconds = (performance.now() - started) / 1000;
        const sorted = rtt.sort();
        resolve({
          ...run,
          seconds,
          messagesPerSecond: run.messages / seconds,
          entriesPerSecond: (run.messages * run.entriesPerMessage) / seconds,
          rttMeanMs: sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length,
          rttP50Ms: percentile(sorted, 0.5),
          rttP99Ms: percentile(sorted, 0.99),
        });
      }
    });
    for (let i = 0; i < run.window && sent < run.messages; i++) {
      sendOne();
    }
  });
}

async function main(): Promise<void> {
  const common = {
    clusterId: 'bench',
    clock: systemClock,
    logger: silentLogger,
  };
  const a = await TcpTransport.listen({
    ...common,
    id: 1,
    rng: new SeededRng(1),
  });
  const b = await TcpTransport.listen({
    ...common,
    id: 2,
    rng: new SeededRng(2),
  });
  const peers = new Map([
    [1, { host: '127.0.0.1', port: a.port }],
    [2, { host: '127.0.0.1', port: b.port }],
  ]);
  a.setPeers(peers);
  b.setPeers(peers);
  b.onMessage((append) => {
    b.send([message(2, 1, { type: 'appResp', index: append.index })]);
  });

  const results: Result[] = [];
  for (const run of RUNS) {
    const result = await measure(a, run);
    results.push(result);
    console.log(
      `${run.name.padEnd(12)} ${Math.round(result.messagesPerSecond)
        .toString()
        .padStart(8)} msg/s ${Math.round(result.entriesPerSecond)
        .toString()
        .padStart(8)} entries/s  rtt mean ${result.rttMeanMs.toFixed(3)} ms` +
        `  p50 ${result.rttP50Ms.toFixed(3)} ms` +
        `  p99 ${result.rttP99Ms.toFixed(3)} ms`,
    );
  }
  const drops = a.stats().drops;
  await Promise.all([a.close(), b.close()]);

  const out = join(__dirname, 'results', 'transport.json');
  await mkdir(join(__dirname, 'results'), { recursive: true });
  await writeFile(
    out,
    JSON.stringify(
      {
        bench: 'transport',
        note: 'in-process: both transports share one event loop',
        date: new Date().toISOString(),
        node: process.version,
        entryBytes: ENTRY_BYTES,
        results: results.filter((result) => result.name !== 'warm-up'),
        drops,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`wrote ${out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
