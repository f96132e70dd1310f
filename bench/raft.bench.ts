// bench:raft — a 3-node cluster on loopback TCP with classic-level (sync on),
// 256-byte values. Prints commits/s and latency with 1 and 64 concurrent
// proposers, linearizable reads/s, and failover time. The load runs in the
// same process as the cluster (labelled so); it asserts nothing.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

import { LocalCluster } from '../engine/cluster/local-cluster';
import type { StateMachine } from '../engine/node/state-machine';
import type { Entry } from '../engine/raft/types';

class CountingMachine implements StateMachine {
  count = 0;
  apply(_entry: Entry): unknown {
    this.count += 1;
    return undefined;
  }
  snapshot(): Uint8Array {
    return new Uint8Array(8);
  }
  restore(): void {}
}

const VALUE = new Uint8Array(256).fill(120);
const WRITES = Number(process.env.BENCH_WRITES ?? 20_000);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 10);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function waitLeader(cluster: LocalCluster): Promise<number> {
  for (;;) {
    const leader = cluster.leader();
    if (leader !== undefined) {
      return leader;
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function writes(cluster: LocalCluster, clients: number, total: number) {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next++ < total) {
        const t0 = performance.now();
        await cluster.propose(VALUE);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    clients,
    writes: total,
    perSecond: Math.round(total / seconds),
    p50Ms: +percentile(latencies, 0.5).toFixed(2),
    p99Ms: +percentile(latencies, 0.99).toFixed(2),
  };
}

async function reads(cluster: LocalCluster, clients: number, total: number) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next++ < total) {
        await cluster.read();
      }
    }),
  );
  return {
    clients,
    reads: total,
    perSecond: Math.round(total / ((performance.now() - start) / 1000)),
  };
}

async function failover(cluster: LocalCluster, trials: number) {
  const times: number[] = [];
  for (let i = 0; i < trials; i++) {
    const leader = await waitLeader(cluster);
    await cluster.propose(VALUE);
    const t0 = performance.now();
    await cluster.kill(leader);
    await cluster.propose(VALUE, 30_000);
    times.push(performance.now() - t0);
    await cluster.restart(leader);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    trials,
    medianMs: Math.round(percentile(sorted, 0.5)),
    minMs: Math.round(sorted[0]!),
    maxMs: Math.round(sorted[sorted.length - 1]!),
  };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aspen-bench-raft-'));
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const cluster = await LocalCluster.start({
    dataDir,
    size: 3,
    stateMachine: () => new CountingMachine(),
    host: { snapshotEvery: Number(process.env.BENCH_SNAPSHOT_EVERY ?? 10_000) },
  });
  try {
    await waitLeader(cluster);
    await writes(cluster, 64, 2_000); // warm-up, not reported
    const one = await writes(cluster, 1, Math.min(WRITES, 5_000));
    const many = await writes(cluster, 64, WRITES);
    const linear = await reads(cluster, 64, WRITES);
    const fail = await failover(cluster, TRIALS);
    const result = {
      date: new Date().toISOString(),
      setup:
        '3 nodes, loopback TCP, classic-level sync, 256 B values, ' +
        'in-process load',
      writes1: one,
      writes64: many,
      reads64: linear,
      failover: fail,
      eventLoopDelayP99Ms: +(loop.percentile(99) / 1e6).toFixed(1),
    };
    console.log(`bench:raft (${result.setup})`);
    console.table({
      'writes, 1 proposer': one,
      'writes, 64 proposers': many,
    });
    console.log(`linearizable reads, 64 readers: ${linear.perSecond}/s`);
    console.log(
      `failover (kill leader → next committed write), ${fail.trials} ` +
        `trials: median ${fail.medianMs} ms, min ${fail.minMs}, max ${fail.maxMs}`,
    );
    console.log(`event-loop delay p99: ${result.eventLoopDelayP99Ms} ms`);
    await mkdir('bench/results', { recursive: true });
    await writeFile('bench/results/raft.json', JSON.stringify(result, null, 2));
  } finally {
    await cluster.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}

void main();
