import type {
  BackoffPolicy,
  JobOrigin,
  JobState,
  Lease,
  Priority,
} from './types';

/**
 * The commands the jobs module applies and what each returns. Commands are
 * plain data carried in Raft entries; results are plain data handed back to
 * the proposer.
 *
 * @packageDocumentation
 */

/** Creates a job, or returns the existing one for a known idempotency key. */
export interface EnqueueCommand {
  type: 'enqueue';
  /** @defaultValue 'default' */
  queue?: string;
  priority: Priority;
  payload: unknown;
  /** Total attempts, counting the first; 0 behaves as 1. */
  maxAttempts: number;
  /** @defaultValue {@link DEFAULT_BACKOFF} */
  backoff?: Partial<BackoffPolicy>;
  /** The handler's timeout (ms); the lease outlasts it. */
  timeoutMs: number;
  /** Kill grace (ms). @defaultValue the module's `graceMs` */
  graceMs?: number;
  idempotencyKey?: string;
  origin?: JobOrigin;
  /** Not leasable before now + delayMs; the job starts `scheduled`. */
  delayMs?: number;
}

/** Leases up to `max` due jobs to a worker, in priority order. */
export interface LeaseCommand {
  type: 'lease';
  worker: string;
  max: number;
  /** A longer lease than the minimum the job needs (ms). */
  leaseMs?: number;
  /** Only jobs of these queues. @defaultValue every queue */
  queues?: string[];
}

/** The (job, attempt, term) a worker holds, repeated by every reply. */
export interface LeaseRef {
  job: string;
  attempt: number;
  term: number;
}

/** In-progress: pushes the lease deadline out again. */
export interface HeartbeatCommand extends LeaseRef {
  type: 'heartbeat';
}

/** The attempt succeeded. */
export interface AckCommand extends LeaseRef {
  type: 'ack';
  result?: unknown;
}

/** The attempt failed; the job retries unless out of attempts. */
export interface NakCommand extends LeaseRef {
  type: 'nak';
  error: string;
  /** Overrides the back-off delay for this retry (ms). */
  delayMs?: number;
  /** false: never retry; to the DLQ as `unrecoverable_error`. */
  retryable?: boolean;
}

/** The handler refuses the job for good: DLQ, `explicitly_rejected`. */
export interface TermCommand extends LeaseRef {
  type: 'term';
  error: string;
}

/**
 * Deadlines from {@link JobsModule.deadlines} that the leader saw pass at
 * `now`. Each is re-checked when applied; one that moved is left alone.
 */
export interface ExpireCommand {
  type: 'expire';
  ids: string[];
  now: number;
}

/** A new leader's election entry committed: leases of older terms end. */
export interface ReclaimCommand {
  type: 'reclaim';
  term: number;
}

/** Which DLQ entries a redrive or purge takes. */
export type DlqSelector =
  { ids: readonly string[] } | { all: { queue?: string; error?: string } };

/**
 * Sends DLQ jobs back to `pending` with the same payload and origin. The
 * attempt count starts again from 0 (each redrive gets the full
 * `maxAttempts`) and `redriveCount` goes up by one.
 */
export type RedriveCommand = { type: 'redrive' } & DlqSelector;

/** Deletes DLQ entries for good. Jobs outside the DLQ are never purged. */
export type PurgeCommand = { type: 'purge' } & DlqSelector;

/** Every command of the jobs module. */
export type JobCommand =
  | EnqueueCommand
  | LeaseCommand
  | HeartbeatCommand
  | AckCommand
  | NakCommand
  | TermCommand
  | ExpireCommand
  | ReclaimCommand
  | RedriveCommand
  | PurgeCommand;

/** Stable codes of refused job commands. */
export type JobErrorCode =
  /** The (attempt, term) is not the job's current lease. */
  | 'FENCED'
  /** No such job (never existed, purged or trimmed). */
  | 'JOB_NOT_FOUND'
  /** A field is missing, of the wrong type or out of range. */
  | 'INVALID_ARGUMENT';

/**
 * A refused command; nothing changed. The machine's `ErrorResult` shape,
 * so it is recorded and answered like any other refusal.
 */
export interface JobFailure {
  ok: false;
  error: { code: JobErrorCode; message: string };
}

/** A lease as handed to a worker: the lease plus what it needs to run. */
export interface GrantedLease extends Lease {
  queue: string;
  priority: Priority;
  payload: unknown;
  timeoutMs: number;
  origin: JobOrigin | null;
  maxAttempts: number;
}

/** A job that timed out or was reclaimed, and where it went. */
export interface EndedAttempt {
  job: string;
  attempt: number;
  state: JobState;
}

/** One job sent back by a redrive. */
export interface Redriven {
  job: string;
  /** The attempts it had made before; its count is now 0. */
  previousAttempts: number;
  redriveCount: number;
}

/** The successful result of each command type. */
export interface JobResults {
  enqueue: {
    ok: true;
    job: string;
    state: JobState;
    /** An earlier enqueue with the same idempotency key made this job. */
    isDuplicate: boolean;
  };
  lease: { ok: true; leases: GrantedLease[] };
  heartbeat: { ok: true; deadline: number };
  ack: { ok: true; state: 'completed' };
  nak: {
    ok: true;
    state: 'retrying' | 'dead_letter';
    /** When the retry is due (ms), for `retrying`. */
    due: number | null;
    delayMs: number | null;
  };
  term: { ok: true; state: 'dead_letter' };
  expire: {
    ok: true;
    /** Leases that ran out, with the state each job moved to. */
    timedOut: EndedAttempt[];
    /** Scheduled or retrying jobs that became pending. */
    promoted: string[];
    /** Ids that were unknown or whose deadline had moved. */
    ignored: string[];
  };
  reclaim: { ok: true; reclaimed: EndedAttempt[] };
  redrive: {
    ok: true;
    redriven: Redriven[];
    /** Always true: a redrive starts the attempt count again from 0. */
    isAttemptCountReset: true;
    /** Ids that are not in the DLQ. */
    skipped: string[];
  };
  purge: { ok: true; purged: string[]; skipped: string[] };
}

/** What applying a command of type `T` returns. */
export type JobResultOf<T extends JobCommand['type']> =
  JobResults[T] | JobFailure;

/** What applying any job command returns. */
export type JobResult = JobResultOf<JobCommand['type']>;
