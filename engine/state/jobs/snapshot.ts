import { JobsSnapshotError } from './errors';
import { JobStore, isWaiting } from './job-store';
import type { Job } from './types';

/**
 * The jobs module's snapshot: plain data with a format version, every list
 * in a deterministic order (jobs by sequence; retention lists oldest
 * first) and every record written field by field in one fixed order, so a
 * replica that restored and one that replayed encode byte for byte alike.
 *
 * @packageDocumentation
 */

/** The format this build writes and reads. */
export const JOBS_SNAPSHOT_VERSION = 1;

/** The snapshot's shape. */
export interface JobsSnapshot {
  version: number;
  nextSeq: number;
  /** Every job, by sequence. */
  jobs: Job[];
  /** Completed job ids, oldest first. */
  completed: string[];
  /** DLQ job ids, in entry order. */
  dlq: string[];
  /** Idempotency keys as [key, job, at], oldest first. */
  keys: [string, string, number][];
}

/** A fresh copy of a job with its fields in one fixed order. */
function copyJob(job: Job): Job {
  const { lease, dlq, origin, backoff } = job;
  return {
    id: job.id,
    seq: job.seq,
    queue: job.queue,
    priority: job.priority,
    payload: job.payload,
    maxAttempts: job.maxAttempts,
    backoff: {
      initialMs: backoff.initialMs,
      multiplier: backoff.multiplier,
      maxMs: backoff.maxMs,
      jitter: backoff.jitter,
    },
    timeoutMs: job.timeoutMs,
    graceMs: job.graceMs,
    idempotencyKey: job.idempotencyKey,
    origin: origin && {
      eventId: { index: origin.eventId.index, offset: origin.eventId.offset },
      hook: origin.hook,
    },
    state: job.state,
    attempts: job.attempts,
    lifetimeAttempts: job.lifetimeAttempts,
    due: job.due,
    retryDelayMs: job.retryDelayMs,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    lease: lease && {
      job: lease.job,
      attempt: lease.attempt,
      term: lease.term,
      worker: lease.worker,
      deadline: lease.deadline,
      leaseMs: lease.leaseMs,
    },
    lastError: job.lastError,
    result: job.result,
    completedAt: job.completedAt,
    dlq: dlq && {
      reason: dlq.reason,
      enteredAt: dlq.enteredAt,
      attempts: dlq.attempts,
      finalError: dlq.finalError,
    },
    redriveCount: job.redriveCount,
    redrivenAt: job.redrivenAt,
    isOriginPinned: job.isOriginPinned,
  };
}

/** The store as a {@link JobsSnapshot}. */
export function writeSnapshot(store: JobStore): JobsSnapshot {
  return {
    version: JOBS_SNAPSHOT_VERSION,
    nextSeq: store.nextSeq,
    jobs: store.inSeqOrder().map(copyJob),
    completed: [...store.completed],
    dlq: [...store.dlq],
    keys: store.keyOrder.map(({ key, job, at }) => [key, job, at]),
  };
}

/**
 * A store rebuilt from a {@link JobsSnapshot}; the queues are re-sorted by
 * their keys, which is what makes them equal to the replayed ones.
 *
 * @throws {@link JobsSnapshotError} for another version or a broken body
 */
export function readSnapshot(data: unknown): JobStore {
  const snapshot = data as Partial<JobsSnapshot> | null;
  if (snapshot?.version !== JOBS_SNAPSHOT_VERSION) {
    const found = JSON.stringify(snapshot?.version);
    throw new JobsSnapshotError(
      `jobs snapshot version ${found} is not ${JOBS_SNAPSHOT_VERSION}; ` +
        'export the workspace or reset the cluster',
    );
  }
  const { jobs, completed, dlq, keys, nextSeq } = snapshot;
  const isList = [jobs, completed, dlq, keys].every(Array.isArray);
  if (!isList || !Number.isSafeInteger(nextSeq)) {
    throw new JobsSnapshotError('jobs snapshot is malformed');
  }

  const store = new JobStore();
  store.nextSeq = nextSeq as number;
  for (const record of jobs as Job[]) {
    const job = copyJob(record);
    store.jobs.set(job.id, job);
    if (isWaiting(job)) {
      store.enqueue(job);
    }
  }
  store.completed.push(...(completed as string[]));
  store.dlq.push(...(dlq as string[]));
  for (const [key, job, at] of keys as [string, string, number][]) {
    store.remember(key, job, at);
  }
  return store;
}
