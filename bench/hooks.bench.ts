// bench:hooks — hooks dispatch on a real 3-node cluster (loopback TCP,
// classic-level with sync). Prints publish → direct in-process handler
// latency at a paced 1,000 events/s, job-mode completions/s with a trivial
// in-process handler, and the shell handler's overhead per run (`true`).
// The load runs in the cluster's own process (labelled so); it asserts
// nothing. Knobs: BENCH_RATE, BENCH_SECONDS, BENCH_JOBS, BENCH_SHELL_RUNS,
// BENCH_JOB_SLOTS, BENCH_SNAPSHOT_EVERY (the node's snapshot interval).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { LocalCluster } from '../engine/cluster/local-cluster';
import type { DispatchEvent } from '../engine/hooks/dispatch/dispatch-events';
import { HookDispatcher } from '../engine/hooks/dispatch/hook-dispatcher';
import { createHookStateMachine } from '../engine/hooks/dispatch/hook-machine';
import type { AspenStateMachine } from '../engine/state/machine';
import type { Command } from '../engine/state/commands';
import { encodeCommand } from '../engine/state/envelope';

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const DIRECT_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const JOBS = Number(process.env.BENCH_JOBS ?? 10_000);
const SHELL_RUNS = Number(process.env.BENCH_SHELL_RUNS ?? 200);
const JOB_SLOTS = Number(process.env.BENCH_JOB_SLOTS ?? 64);
const SNAPSHOT_EVERY = Number(process.env.BENCH_SNAPSHOT_EVERY ?? 10_000);

const CONFIG = `[hooks]
enabled = true

[[hooks.handlers]]
name = "direct-noop"
pattern = "bench.direct"
type = "in_process"
handler_id = "noop"

[[hooks.handlers]]
name = "job-noop"
pattern = "bench.job"
type = "in_process"
handler_id = "noop"
execution_mode = "job"
retry_count = 1

[[hooks.handlers]]
name = "shell-true"
pattern = "bench.shell"
type = "shell"
command = "true"
`;

interface Bench {
  cluster: LocalCluster;
  machines: Map<number, AspenStateMachine>;
  events: DispatchEvent[];
  listeners: Set<(event: DispatchEvent) => void>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / (sorted.length || 1);
  return {
    samples: sorted.length,
    p50Ms: +percentile(sorted, 0.5).toFixed(2),
    p99Ms: +percentile(sorted, 0.99).toFixed(2),
    meanMs: +mean.toFixed(2),
  };
}

function propose(bench: Bench, cmd: Command): Promise<unknown> {
  const data = encodeCommand({ v: 1, time: Date.now(), random: 0, cmd });
  return bench.cluster.propose(data);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(check: () => boolean, what: string, ms = 60_000) {
  const deadline = performance.now() + ms;
  while (!check()) {
    if (performance.now() > deadline) {
      throw new Error(`bench:hooks timed out waiting for ${what}`);
    }
    await sleep(5);
  }
}

const keyOf = (id: { index: number; offset: number }) =>
  `${id.index}.${id.offset}`;

// publishes one event per entry at a steady rate; latency runs from the
// publish call to the handler's end as the leader's dispatcher saw it
async function directLatency(bench: Bench, seconds: number) {
  const total = Math.round(RATE * seconds);
  const sentAt = new Map<string, number>();
  const finished = new Map<string, number>();
  const started = new Map<string, number>();
  const dropped = new Map<string, string>();
  const committed = new Map<string, number>();
  const watch = (event: DispatchEvent) => {
    if (event.type === 'dropped' && event.hook === 'direct-noop') {
      dropped.set(keyOf(event.eventId), event.reason);
    } else if (
      event.type === 'attempt-started' &&
      event.hook === 'direct-noop'
    ) {
      started.set(keyOf(event.eventId), event.at);
    } else if (
      event.type === 'attempt-finished' &&
      event.hook === 'direct-noop'
    ) {
      finished.set(keyOf(event.eventId), event.at);
    }
  };
  bench.listeners.add(watch);
  // when the leader applied each event: the dispatcher starts from there
  const applied = new Map<string, number>();
  const unwatch = [...bench.machines.values()].map((machine) =>
    machine.onApplied((entry) => {
      const at = performance.now();
      for (const event of entry.events) {
        if (event.topic === 'bench.direct' && !applied.has(keyOf(event.id))) {
          applied.set(keyOf(event.id), at);
        }
      }
    }),
  );
  const begin = performance.now();
  const pending: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(
      total,
      Math.floor(((performance.now() - begin) * RATE) / 1000),
    );
    for (; sent < due; sent++) {
      const t0 = performance.now();
      pending.push(
        propose(bench, {
          t: 'publish',
          topic: 'bench.direct',
          payload: { n: sent },
        }).then((result) => {
          const id = keyOf(
            (result as { id: { index: number; offset: number } }).id,
          );
          sentAt.set(id, t0);
          committed.set(id, performance.now() - t0);
        }),
      );
    }
    await sleep(1);
  }
  await Promise.all(pending);
  await until(
    () => finished.size + dropped.size >= sentAt.size,
    'direct handlers',
  );
  bench.listeners.delete(watch);
  unwatch.forEach((undo) => undo());
  const toEnd: number[] = [];
  const toStart: number[] = [];
  const fromApply: number[] = [];
  for (const [id, t0] of sentAt) {
    if (finished.has(id)) {
      toEnd.push(finished.get(id)! - t0);
      toStart.push(started.get(id)! - t0);
      fromApply.push(finished.get(id)! - applied.get(id)!);
    }
  }
  const elapsed = (performance.now() - begin) / 1000;
  return {
    events: total,
    offeredPerSecond: RATE,
    achievedPerSecond: Math.round(total / elapsed),
    droppedSaturated: dropped.size,
    publishToHandlerDone: summary(toEnd),
    publishToHandlerStart: summary(toStart),
    publishToApplied: summary([...committed.values()]),
    appliedToHandlerDone: summary(fromApply),
  };
}

async function jobThroughput(bench: Bench, count: number) {
  let completed = 0;
  const watch = (event: DispatchEvent) => {
    if (event.type === 'job-settled' && event.settlement === 'completed') {
      completed += 1;
    }
  };
  bench.listeners.add(watch);
  const begin = performance.now();
  const batches: Command[] = [];
  for (let n = 0; n < count; n += 100) {
    const size = Math.min(100, count - n);
    const messages = Array.from({ length: size }, (_, i) => ({
      topic: 'bench.job',
      payload: { n: n + i },
    }));
    batches.push({ t: 'publishBatch', messages });
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < batches.length) {
        await propose(bench, batches[next++]!);
      }
    }),
  );
  const published = performance.now();
  await until(() => completed >= count, 'job completions', 300_000);
  const seconds = (performance.now() - begin) / 1000;
  bench.listeners.delete(watch);
  return {
    jobs: count,
    publishSeconds: +((published - begin) / 1000).toFixed(2),
    totalSeconds: +seconds.toFixed(2),
    completionsPerSecond: Math.round(count / seconds),
  };
}

async function shellOverhead(bench: Bench, runs: number) {
  const durations: number[] = [];
  let last: number | undefined;
  const watch = (event: DispatchEvent) => {
    if (event.type === 'attempt-finished' && event.hook === 'shell-true') {
      durations.push(event.durationMs);
      last = event.eventId.index;
    }
  };
  bench.listeners.add(watch);
  for (let n = 0; n < runs; n++) {
    const result = (await propose(bench, {
      t: 'publish',
      topic: 'bench.shell',
      payload: { n },
    })) as { id: { index: number } };
    await until(() => last === result.id.index, 'a shell run');
  }
  bench.listeners.delete(watch);
  return { command: 'true', ...summary(durations) };
}

async function main(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'aspen-bench-hooks-'));
  const workspace = join(root, 'workspace');
  await mkdir(join(workspace, 'handlers'), { recursive: true });
  await writeFile(
    join(workspace, 'handlers', 'noop.mjs'),
    'export default () => {};\n',
  );
  const loop = monitorEventLoopDelay({ resolution: 10 });
  const machines = new Map<number, AspenStateMachine>();
  const listeners = new Set<(event: DispatchEvent) => void>();
  const cluster = await LocalCluster.start({
    dataDir: join(root, 'data'),
    size: 3,
    host: { snapshotEvery: SNAPSHOT_EVERY },
    stateMachine: (id, { initialConf }) => {
      const { machine } = createHookStateMachine({ initialConf });
      machines.set(id, machine);
      return machine;
    },
  });
  const bench: Bench = { cluster, machines, events: [], listeners };
  const dispatchers = cluster.nodeIds().map((id) => {
    const dispatcher = new HookDispatcher({
      workspaceDir: workspace,
      jobSlots: JOB_SLOTS,
    });
    dispatcher.subscribe((event) =>
      listeners.forEach((listener) => listener(event)),
    );
    dispatcher.start({
      id,
      host: cluster.host(id)!,
      machine: machines.get(id)!,
    });
    return dispatcher;
  });
  try {
    await until(() => cluster.leader() !== undefined, 'a leader', 10_000);
    await propose(bench, { t: 'hooks.config', version: 1, text: CONFIG });
    await until(
      () => dispatchers.some((d) => d.isLeading),
      'a dispatching leader',
    );
    // warm-up, not reported: workers load, tsx compiles, caches fill
    await directLatency(bench, 1);
    await jobThroughput(bench, 1000);
    await shellOverhead(bench, 10);
    loop.enable();
    const direct = await directLatency(bench, DIRECT_SECONDS);
    const jobs = await jobThroughput(bench, JOBS);
    const shell = await shellOverhead(bench, SHELL_RUNS);
    const result = {
      date: new Date().toISOString(),
      setup:
        '3 nodes, loopback TCP, classic-level sync, in-process load; ' +
        `in-process handlers in 2 workers per node, ${JOB_SLOTS} job slots`,
      direct,
      jobs,
      shell,
      eventLoopDelayP99Ms: +(loop.percentile(99) / 1e6).toFixed(1),
      // other work on the machine skews every figure; this says how much
      loadAverage1m: +loadavg()[0]!.toFixed(2),
    };
    console.log(`bench:hooks (${result.setup})`);
    console.log(
      `direct in-process, ${direct.events} events at ${RATE}/s offered ` +
        `(${direct.achievedPerSecond}/s achieved, ` +
        `${direct.droppedSaturated} dropped as saturated):`,
    );
    console.table({
      'publish → handler done': direct.publishToHandlerDone,
      'publish → handler start': direct.publishToHandlerStart,
      'publish → applied (leader)': direct.publishToApplied,
      'first apply → handler done': direct.appliedToHandlerDone,
      'shell `true`, per run': shell,
    });
    console.log(
      `job mode, trivial in-process handler: ${jobs.completionsPerSecond} ` +
        `completions/s (${jobs.jobs} jobs in ${jobs.totalSeconds} s; ` +
        `published in ${jobs.publishSeconds} s)`,
    );
    console.log(
      `event-loop delay p99: ${result.eventLoopDelayP99Ms} ms; ` +
        `1-minute load average at the end: ${result.loadAverage1m}`,
    );
    await mkdir('bench/results', { recursive: true });
    await writeFile(
      'bench/results/hooks.json',
      JSON.stringify(result, null, 2),
    );
  } finally {
    await Promise.all(dispatchers.map((d) => d.stop()));
    await cluster.dispose();
    await rm(root, { recursive: true, force: true });
  }
}

void main();
