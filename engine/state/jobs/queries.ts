import type { JobStore } from './job-store';
import type {
  DlqReason,
  Job,
  JobOrigin,
  JobState,
  Lease,
  Priority,
} from './types';
import { PRIORITIES } from './types';

/**
 * Read-only views of the jobs state for the UI (queues by priority with
 * leases and planned retries; the DLQ grouped by error). Queries, not
 * commands: they go through no log and change nothing.
 *
 * @packageDocumentation
 */

/** What the UI lists for any job. */
export interface JobSummary {
  id: string;
  queue: string;
  priority: Priority;
  state: JobState;
  /** Attempts started so far. */
  attempts: number;
  maxAttempts: number;
  /** When it is or was leasable (ms). */
  due: number;
  createdAt: number;
  redriveCount: number;
  origin: JobOrigin | null;
  lastError: string | null;
}

/** A scheduled job or a planned retry. */
export interface ScheduledJob extends JobSummary {
  /** The attempt that will run next. */
  nextAttempt: number;
  /** The back-off delay chosen for this retry (null: an initial delay). */
  delayMs: number | null;
}

/** A running job and its lease. */
export interface LeasedJob extends JobSummary {
  lease: Lease;
}

/** One priority's queue. */
export interface PriorityView {
  priority: Priority;
  /** Pending jobs, in the order a lease takes them. */
  ready: JobSummary[];
  /** Scheduled jobs and retries, soonest first. */
  scheduled: ScheduledJob[];
  /** Running jobs, soonest deadline first. */
  leased: LeasedJob[];
}

/** The queues, in dequeue order, and a count of jobs per state. */
export interface JobsView {
  priorities: PriorityView[];
  counts: Partial<Record<JobState, number>>;
}

/** One DLQ entry. */
export interface DlqEntry extends JobSummary {
  reason: DlqReason;
  enteredAt: number;
  finalError: string;
  redrivenAt: number | null;
  payload: unknown;
}

/** DLQ entries that failed with the same final error. */
export interface DlqGroup {
  error: string;
  count: number;
  /** In the order they entered the DLQ. */
  entries: DlqEntry[];
}

function summary(job: Job): JobSummary {
  return {
    id: job.id,
    queue: job.queue,
    priority: job.priority,
    state: job.state,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    due: job.due,
    createdAt: job.createdAt,
    redriveCount: job.redriveCount,
    origin: structuredClone(job.origin),
    lastError: job.lastError,
  };
}

/** The queues by priority, with leases and scheduled retries. */
export function viewJobs(store: JobStore): JobsView {
  const counts: Partial<Record<JobState, number>> = {};
  const running: Job[] = [];
  for (const job of store.jobs.values()) {
    counts[job.state] = (counts[job.state] ?? 0) + 1;
    if (job.lease !== null) {
      running.push(job);
    }
  }
  running.sort(
    (a, b) => a.lease!.deadline - b.lease!.deadline || a.seq - b.seq,
  );

  const priorities = PRIORITIES.map((priority) => {
    const waiting = store.waiting[priority].values();
    return {
      priority,
      ready: waiting.filter((job) => job.state === 'pending').map(summary),
      scheduled: waiting
        .filter((job) => job.state !== 'pending')
        .map((job) => ({
          ...summary(job),
          nextAttempt: job.attempts + 1,
          delayMs: job.retryDelayMs,
        })),
      leased: running
        .filter((job) => job.priority === priority)
        .map((job) => ({ ...summary(job), lease: { ...job.lease! } })),
    };
  });
  return { priorities, counts };
}

/** The DLQ grouped by final error, biggest group first. */
export function dlqByError(store: JobStore): DlqGroup[] {
  const groups = new Map<string, DlqGroup>();
  for (const id of store.dlq) {
    const job = store.jobs.get(id);
    if (job?.dlq == null) {
      continue;
    }
    const error = job.dlq.finalError;
    const group = groups.get(error) ?? { error, count: 0, entries: [] };
    groups.set(error, group);
    group.count += 1;
    group.entries.push({
      ...summary(job),
      reason: job.dlq.reason,
      enteredAt: job.dlq.enteredAt,
      finalError: error,
      redrivenAt: job.redrivenAt,
      payload: structuredClone(job.payload),
    });
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.count - a.count || (a.error < b.error ? -1 : a.error > b.error ? 1 : 0),
  );
}
