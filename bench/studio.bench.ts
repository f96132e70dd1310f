// bench:studio — what the UI gets from a busy studio. A real studio
// (`aspen-studio serve`, browser mode, a real 3-node cluster) runs in a
// child process; a load generator in another process publishes at a fixed
// offered rate (5,000 events/s by default) over the public WebSocket API;
// this process plays the UI on its own connection: it counts the pushes it
// is sent per second (and the events and skips of `events:batch`) and
// times a UI request (`cluster:status`) idle and under load. When the
// offered rate is not sustained, lower rates are tried to find the highest
// one that is. Prints a table, writes bench/results/studio.json; asserts
// nothing.
//
// STUDIO_BENCH_RATE (events/s, default 5000), STUDIO_BENCH_SECONDS
// (default 10).
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import type { LoadResult, LoadSpec } from './studio/load-generator';
import { startStudioChild, type StudioChild } from './studio/studio-child';
import {
  connectUi,
  probeRoundTrips,
  type PushCounts,
  type UiClient,
} from './studio/ui-client';

const RATE = Number(process.env.STUDIO_BENCH_RATE ?? 5000);
const SECONDS = Number(process.env.STUDIO_BENCH_SECONDS ?? 10);
const FALLBACK_SECONDS = Math.min(SECONDS, 5);
const MAX_IN_FLIGHT = 512;
const PROBE_EVERY_MS = 20;
const TARGET_P99_MS = 50;
// sustained: every offered event sent on time (the in-flight cap never
// held more than a sliver back) and all answered soon after the window
const SENT_SHARE = 0.99;
const MAX_DRAIN_MS = 1000;

interface RunFigures {
  offeredPerSecond: number;
  seconds: number;
  load: LoadResult;
  sentPerSecond: number;
  ackedPerSecond: number;
  isSustained: boolean;
  ui: {
    messagesPerSecond: number;
    /** Events `events:batch` carried in all; the load's `acked` to compare. */
    events: number;
    byChannelPerSecond: Record<string, number>;
    eventsPerSecond: number;
    skippedPerSecond: number;
    largestMessageBytes: number;
  };
  requestRoundTrip: LatencyFigures;
  studioCpuPercent: number | null;
}

interface LatencyFigures {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

function latency(samples: number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    samples: sorted.length,
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
  };
}

function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const script = join(__dirname, 'studio', 'load-generator.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, JSON.stringify(spec)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) {
        resolve(JSON.parse(out) as LoadResult);
      } else {
        reject(new Error(`the load generator exited with ${code}`));
      }
    });
  });
}

async function measure(
  studio: StudioChild,
  ui: UiClient,
  rate: number,
  seconds: number,
): Promise<RunFigures> {
  const spec: LoadSpec = {
    port: studio.port,
    token: studio.token,
    rate,
    seconds,
    maxInFlight: MAX_IN_FLIGHT,
    topic: 'bench.studio.load',
  };
  const cpuBefore = studio.cpuMs();
  ui.takeCounts();
  const started = performance.now();
  let isLoadDone = false;
  const loading = runLoad(spec).finally(() => (isLoadDone = true));
  const roundTrips = await probeRoundTrips(ui, {
    durationMs: seconds * 1000 + 2000,
    everyMs: PROBE_EVERY_MS,
    stop: () => isLoadDone,
  });
  const load = await loading;
  const elapsedMs = performance.now() - started;
  const counts: PushCounts = ui.takeCounts();
  const cpuAfter = studio.cpuMs();

  const windowMs = load.elapsedMs;
  const ackedPerSecond = perSecond(load.acked, windowMs + load.drainMs);
  const byChannel = Object.fromEntries(
    Object.entries(counts.byChannel).map(([channel, n]) => [
      channel,
      perSecond(n, elapsedMs),
    ]),
  );
  return {
    offeredPerSecond: rate,
    seconds,
    load,
    sentPerSecond: perSecond(load.sent, windowMs),
    ackedPerSecond,
    isSustained:
      load.errors === 0 &&
      load.sent >= load.offered * SENT_SHARE &&
      load.drainMs <= MAX_DRAIN_MS,
    ui: {
      messagesPerSecond: perSecond(counts.messages, elapsedMs),
      byChannelPerSecond: byChannel,
      events: counts.events,
      eventsPerSecond: perSecond(counts.events, elapsedMs),
      skippedPerSecond: perSecond(counts.skipped, elapsedMs),
      largestMessageBytes: counts.largestMessageBytes,
    },
    requestRoundTrip: latency(roundTrips),
    studioCpuPercent:
      cpuBefore === null || cpuAfter === null
        ? null
        : Math.round(((cpuAfter - cpuBefore) / elapsedMs) * 100),
  };
}

function row(figures: RunFigures): string[] {
  const { ui, requestRoundTrip: rtt } = figures;
  return [
    String(figures.offeredPerSecond),
    String(figures.ackedPerSecond),
    figures.isSustained ? 'yes' : 'no',
    String(Math.round(figures.load.drainMs)),
    `${figures.load.ackP50Ms.toFixed(1)} / ${figures.load.ackP99Ms.toFixed(1)}`,
    String(ui.messagesPerSecond),
    String(ui.byChannelPerSecond['events:batch'] ?? 0),
    String(ui.eventsPerSecond),
    String(ui.skippedPerSecond),
    `${rtt.p50Ms.toFixed(1)} / ${rtt.p99Ms.toFixed(1)}`,
    figures.studioCpuPercent === null ? '-' : `${figures.studioCpuPercent}%`,
  ];
}

function printTable(idle: LatencyFigures, runs: RunFigures[]): void {
  const head = [
    'offered/s',
    'acked/s',
    'sustained',
    'drain ms',
    'publish p50/p99 ms',
    'UI msgs/s',
    'batches/s',
    'events/s',
    'skipped/s',
    'status p50/p99 ms',
    'studio CPU',
  ];
  const lines = [head, ...runs.map(row)];
  const widths = head.map((_, i) =>
    Math.max(...lines.map((line) => line[i]!.length)),
  );
  for (const line of lines) {
    console.log(line.map((cell, i) => cell.padStart(widths[i]!)).join('  '));
  }
  console.log(
    `idle: cluster:status round trip p50 ${idle.p50Ms} ms, ` +
      `p99 ${idle.p99Ms} ms (${idle.samples} samples)`,
  );
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const studio = await startStudioChild();
  const ui = await connectUi(studio.port, studio.token);
  const runs: RunFigures[] = [];
  let idle: LatencyFigures;
  try {
    idle = latency(
      await probeRoundTrips(ui, { durationMs: 2000, everyMs: PROBE_EVERY_MS }),
    );
    runs.push(await measure(studio, ui, RATE, SECONDS));

    // step down until a rate is sustained, to say what the ceiling is
    for (const share of [0.8, 0.6, 0.4, 0.2]) {
      if (runs[runs.length - 1]!.isSustained) {
        break;
      }
      runs.push(
        await measure(studio, ui, Math.round(RATE * share), FALLBACK_SECONDS),
      );
    }
  } finally {
    await ui.close();
    await studio.close();
  }

  printTable(idle, runs);
  const sustained = runs.find((run) => run.isSustained) ?? null;
  const target = runs[0]!;
  console.log(
    target.isSustained
      ? `${RATE} events/s sustained; UI request p99 ` +
          `${target.requestRoundTrip.p99Ms} ms (target ≤ ${TARGET_P99_MS} ms)`
      : `${RATE} events/s NOT sustained (${target.ackedPerSecond}/s ` +
          `acknowledged); highest sustained: ` +
          `${sustained === null ? 'none tried' : `${sustained.offeredPerSecond}/s`}`,
  );

  const result = {
    bench: 'studio',
    date: new Date().toISOString(),
    node: process.version,
    setup:
      '`aspen-studio serve` from source in a child process, 3 nodes, ' +
      'loopback TCP; load: one WebSocket, events:publish one event per ' +
      `request (no batch publish in the contract), ${MAX_IN_FLIGHT} in ` +
      `flight at most; UI: its own WebSocket, cluster:status every ` +
      `${PROBE_EVERY_MS} ms`,
    machineLoad1m: { before: loadBefore, after: loadavg()[0] },
    targets: { eventsPerSecond: RATE, uiRequestP99Ms: TARGET_P99_MS },
    idleRoundTrip: idle,
    runs,
    highestSustainedPerSecond: sustained?.offeredPerSecond ?? null,
  };
  const dir = join(__dirname, 'results');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'studio.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
