// Collects what the runs measured, per system, and reduces it to the
// figures the table prints. Rounds of one kind are merged: throughput is
// all acknowledged writes over all measured wall time, percentiles come
// from every latency sample of every round.
import type { SystemName, WatchResult, WriteResult } from './jobs';

/** Figures of the write runs with one client count. */
export interface WriteFigures {
  clients: number;
  writes: number;
  errors: number;
  firstError?: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Each round's own rate, to show the spread. */
  roundsPerSecond: number[];
  /** Server CPU per 1,000 acknowledged writes (ms); Linux only. */
  serverCpuMsPer1k: number | null;
  /** Load-generator CPU as a share of one core during the runs. */
  clientCpuShare: number;
}

export interface WatchFigures {
  expected: number;
  delivered: number;
  perSecond: number;
  firstMs: number;
  roundsPerSecond: number[];
}

export interface FailoverFigures {
  trials: number;
  /** Kill → first acknowledged write (ms); null when none within the cap. */
  timesMs: (number | null)[];
  victims: string[];
  medianMs: number | null;
  minMs: number | null;
  maxMs: number | null;
  failedProbes: number;
  firstError?: string;
}

interface WriteRun {
  result: WriteResult;
  serverCpuS: number | undefined;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** Everything measured for one system. */
export class Tally {
  private readonly writeRuns = new Map<number, WriteRun[]>();
  private readonly watchRuns: (WatchResult & { expected: number })[] = [];
  private readonly trials: { ms: number | null; victim: string }[] = [];
  private failedProbes = 0;
  private failoverError: string | undefined;

  constructor(readonly system: SystemName) {}

  addWrite(clients: number, result: WriteResult, serverCpuS?: number) {
    const runs = this.writeRuns.get(clients) ?? [];
    runs.push({ result, serverCpuS });
    this.writeRuns.set(clients, runs);
  }

  /** Acknowledged writes so far with `clients` clients. */
  acknowledged(clients: number): number {
    const runs = this.writeRuns.get(clients) ?? [];
    return runs.reduce((sum, run) => sum + run.result.ok, 0);
  }

  addWatch(result: WatchResult, expected: number): void {
    this.watchRuns.push({ ...result, expected });
  }

  addTrial(ms: number | null, victim: string, failed: number, error?: string) {
    this.trials.push({ ms, victim });
    this.failedProbes += failed;
    this.failoverError ??= error;
  }

  writes(clients: number): WriteFigures | undefined {
    const runs = this.writeRuns.get(clients);
    if (runs === undefined || runs.length === 0) {
      return undefined;
    }
    const latencies = runs.flatMap((run) => run.result.latencies);
    latencies.sort((a, b) => a - b);
    const ok = latencies.length;
    const wallMs = runs.reduce((sum, run) => sum + run.result.wallMs, 0);
    const cpus = runs.map((run) => run.serverCpuS);
    const serverCpuS = cpus.every((cpu) => cpu !== undefined)
      ? cpus.reduce((sum, cpu) => sum + cpu, 0)
      : undefined;
    const clientCpuMs = runs.reduce((sum, r) => sum + r.result.clientCpuMs, 0);
    const firstError = runs.find((run) => run.result.firstError)?.result
      .firstError;
    return {
      clients,
      writes: ok,
      errors: runs.reduce((sum, run) => sum + run.result.errors, 0),
      ...(firstError === undefined ? {} : { firstError }),
      perSecond: Math.round(ok / (wallMs / 1000)),
      p50Ms: round2(percentile(latencies, 0.5)),
      p99Ms: round2(percentile(latencies, 0.99)),
      maxMs: round2(latencies[latencies.length - 1] ?? NaN),
      roundsPerSecond: runs.map((run) =>
        Math.round(run.result.ok / (run.result.wallMs / 1000)),
      ),
      serverCpuMsPer1k:
        serverCpuS === undefined || ok === 0
          ? null
          : round2((serverCpuS * 1000 * 1000) / ok),
      clientCpuShare: round2(clientCpuMs / wallMs),
    };
  }

  watch(): WatchFigures | undefined {
    const runs = this.watchRuns;
    if (runs.length === 0) {
      return undefined;
    }
    const delivered = runs.reduce((sum, run) => sum + run.delivered, 0);
    const wallMs = runs.reduce((sum, run) => sum + run.wallMs, 0);
    return {
      expected: runs[0]!.expected,
      delivered: Math.min(...runs.map((run) => run.delivered)),
      perSecond: Math.round(delivered / (wallMs / 1000)),
      firstMs: round2(Math.max(...runs.map((run) => run.firstMs))),
      roundsPerSecond: runs.map((run) =>
        Math.round(run.delivered / (run.wallMs / 1000)),
      ),
    };
  }

  failover(): FailoverFigures | undefined {
    if (this.trials.length === 0) {
      return undefined;
    }
    const timesMs = this.trials.map((t) =>
      t.ms === null ? null : Math.round(t.ms),
    );
    // a trial without any ack within the cap counts as the slowest
    const sorted = timesMs.map((ms) => ms ?? Infinity).sort((a, b) => a - b);
    const finite = (ms: number) => (Number.isFinite(ms) ? ms : null);
    const middle = sorted.length / 2;
    const median =
      sorted.length % 2 === 1
        ? sorted[Math.floor(middle)]!
        : (sorted[middle - 1]! + sorted[middle]!) / 2;
    return {
      trials: this.trials.length,
      timesMs,
      victims: this.trials.map((t) => t.victim),
      medianMs: finite(Math.round(median)),
      minMs: finite(sorted[0]!),
      maxMs: finite(sorted[sorted.length - 1]!),
      failedProbes: this.failedProbes,
      ...(this.failoverError === undefined
        ? {}
        : { firstError: this.failoverError }),
    };
  }
}
