// What the orchestrator asks of a load-generator process and what it gets
// back. Plain data: it crosses the IPC channel as JSON.

/** The systems compared. */
export type SystemName = 'aspen' | 'etcd' | 'nats';

/** Where a load generator sends its requests. */
export type Target =
  | {
      system: 'etcd';
      /** Client URLs' `host:port`; client c uses endpoint c mod n. */
      endpoints: string[];
    }
  | {
      system: 'nats';
      /** `host:port` per server; one connection each, shared round-robin. */
      servers: string[];
    }
  | {
      system: 'aspen';
      port: number;
      token: string;
      /** Which of the browser-mode API's two carriers to use. */
      carrier: 'http' | 'ws';
    };

/** Acknowledged writes by concurrent clients. */
export interface WriteJob {
  op: 'write';
  target: Target;
  clients: number;
  /** Counted writes, shared by all clients. */
  total: number;
  /** Writes before the clock starts (their own key space), not counted. */
  warmup: number;
  /** Names the key space, so the watch can select exactly these writes. */
  phase: string;
  capMs: number;
}

/** A watch (subscription) from the start of `phase`'s writes. */
export interface WatchJob {
  op: 'watch';
  target: Target;
  phase: string;
  /** Events to wait for. */
  expect: number;
  capMs: number;
}

/** Kill the leader, then time the next acknowledged write. */
export interface FailoverJob {
  op: 'failover';
  /** A surviving member only (ours: the one server). */
  target: Target;
  /** The leader's process (etcd, NATS) or node inside our server. */
  kill: { pid: number } | { node: number };
  capMs: number;
}

export type Job = WriteJob | WatchJob | FailoverJob;

export interface WriteResult {
  op: 'write';
  ok: number;
  errors: number;
  firstError?: string;
  wallMs: number;
  /** Per acknowledged write, ms, in completion order. */
  latencies: number[];
  /** CPU the load generator itself used during the counted writes. */
  clientCpuMs: number;
}

export interface WatchResult {
  op: 'watch';
  delivered: number;
  /** From opening the watch to the last expected event. */
  wallMs: number;
  /** From opening the watch to the first event. */
  firstMs: number;
}

export interface FailoverResult {
  op: 'failover';
  /** Kill to first acknowledged write, ms; null when none within the cap. */
  ms: number | null;
  failedProbes: number;
  firstError?: string;
}

export type JobResult = WriteResult | WatchResult | FailoverResult;

/** The load generator's single message back. */
export type JobReply =
  { ok: true; result: JobResult } | { ok: false; error: string };

/** The 256-byte value every system writes. */
export const VALUE_BYTES = 256;

/** Interval between failover probes (the baseline's method). */
export const PROBE_INTERVAL_MS = 25;

/** Bound on one failover probe. */
export const PROBE_TIMEOUT_MS = 5000;
