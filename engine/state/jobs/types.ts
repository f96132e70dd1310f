import type { EventId } from '../module';

/**
 * The records the jobs module keeps, with production's names for states,
 * priorities and DLQ reasons (reference §8).
 *
 * @packageDocumentation
 */

/** Job priority; leases take critical first, low last (reference §1.5). */
export type Priority = 'critical' | 'high' | 'normal' | 'low';

/** Priorities in dequeue order. */
export const PRIORITIES: readonly Priority[] = [
  'critical',
  'high',
  'normal',
  'low',
];

/**
 * Production's `JobStatus` wire names (reference §8.2). The studio uses
 * pending (ready now), scheduled (enqueued with a delay), running (leased),
 * retrying (waiting out a back-off), completed and dead_letter; production's
 * failed, cancelled and unknown are never entered here.
 */
export type JobState =
  | 'pending'
  | 'scheduled'
  | 'running'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'retrying'
  | 'dead_letter'
  | 'unknown';

/** Production's `DlqReason`, as snake_case wire names (reference §8.4). */
export type DlqReason =
  | 'max_retries_exceeded'
  | 'explicitly_rejected'
  | 'expired'
  | 'processing_timeout'
  | 'unrecoverable_error';

/**
 * Exponential back-off: attempt n (counting from 1) that fails waits
 * `initialMs × multiplier^(n−1)`, capped at `maxMs` (reference §8.3).
 */
export interface BackoffPolicy {
  /** @defaultValue 100 */
  initialMs: number;
  /** @defaultValue 2 */
  multiplier: number;
  /** @defaultValue 10000 */
  maxMs: number;
  /**
   * Draws each delay from [delay/2, delay] with the entry's `random`, a
   * studio extension; production has no jitter. @defaultValue false
   */
  jitter: boolean;
}

/** The back-off production gives hook jobs. */
export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = {
  initialMs: 100,
  multiplier: 2,
  maxMs: 10_000,
  jitter: false,
};

/** Where a job came from: the event a job-mode hook matched. */
export interface JobOrigin {
  /** The matched event. */
  eventId: EventId;
  /** The hook (handler name) that turned it into a job. */
  hook: string;
}

/** A worker's claim on one attempt of a job. */
export interface Lease {
  /** Job id. */
  job: string;
  /**
   * Which attempt this is over the job's life, from 1 (see
   * {@link Job.lifetimeAttempts}); ack, nak and heartbeat must repeat it.
   */
  attempt: number;
  /** Raft term of the entry that granted it; ack, nak and heartbeat too. */
  term: number;
  /** The worker that holds it. */
  worker: string;
  /** Cluster time (ms) at which the attempt times out unless extended. */
  deadline: number;
  /** How far a heartbeat pushes the deadline past its entry's time. */
  leaseMs: number;
}

/** Why a job sits in the DLQ (production's `DlqMetadata`, reference §8.4). */
export interface DlqInfo {
  reason: DlqReason;
  /** Cluster time (ms) it entered the DLQ. */
  enteredAt: number;
  /** Attempts made when it entered. */
  attempts: number;
  /** The error of the last attempt. */
  finalError: string;
}

/** One job, as the state machine holds it. */
export interface Job {
  /** `job-<seq>`: unique and never reused. */
  id: string;
  /** Enqueue order; the last tie-breaker of every queue. */
  seq: number;
  /** Free-form queue name a lease may filter on. */
  queue: string;
  priority: Priority;
  payload: unknown;
  /**
   * Total attempts allowed, counting the first (production's
   * `max_attempts`): 3 means two retries, and 0 behaves as 1.
   */
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** The handler's own timeout (ms). */
  timeoutMs: number;
  /** Time the runner gives a timed-out handler before killing it (ms). */
  graceMs: number;
  idempotencyKey: string | null;
  origin: JobOrigin | null;
  state: JobState;
  /**
   * Attempts started since the job was created or last redriven; this is
   * what `maxAttempts` limits and what a redrive resets to 0.
   */
  attempts: number;
  /**
   * Attempts started over the job's whole life, never reset. A lease's
   * `attempt` is this number, so a worker left over from before a redrive
   * can never match a new lease.
   */
  lifetimeAttempts: number;
  /** When a waiting job may be leased (ms). */
  due: number;
  /** The delay of the retry it waits for, for the UI; null otherwise. */
  retryDelayMs: number | null;
  createdAt: number;
  updatedAt: number;
  lease: Lease | null;
  lastError: string | null;
  result: unknown;
  completedAt: number | null;
  dlq: DlqInfo | null;
  redriveCount: number;
  redrivenAt: number | null;
  /** Whether this job holds a pin on its origin event (DESIGN §3.3). */
  isOriginPinned: boolean;
}

/** Retention limits and defaults of the jobs module. */
export interface JobsConfig {
  /** Kill grace for jobs that do not give one (ms). @defaultValue 5000 */
  graceMs: number;
  /** Completed jobs kept, newest first. @defaultValue 1000 */
  completedMaxCount: number;
  /** Completed jobs older than this are dropped (ms). @defaultValue 3600000 */
  completedMaxAgeMs: number;
  /** DLQ entries kept, newest first. @defaultValue 10000 */
  dlqMaxCount: number;
  /** DLQ entries older than this are dropped (ms). @defaultValue 604800000 */
  dlqMaxAgeMs: number;
  /** Idempotency keys kept. @defaultValue 10000 */
  idempotencyMaxCount: number;
  /** How long a key deduplicates (production: 1 h). @defaultValue 3600000 */
  idempotencyTtlMs: number;
}

/** The defaults of {@link JobsConfig}. */
export const DEFAULT_JOBS_CONFIG: Readonly<JobsConfig> = {
  graceMs: 5000,
  completedMaxCount: 1000,
  completedMaxAgeMs: 3_600_000,
  dlqMaxCount: 10_000,
  dlqMaxAgeMs: 7 * 24 * 3_600_000,
  idempotencyMaxCount: 10_000,
  idempotencyTtlMs: 3_600_000,
};

/** A lease lasts at least the timeout plus the kill grace plus this (ms). */
export const LEASE_MARGIN_MS = 1000;
