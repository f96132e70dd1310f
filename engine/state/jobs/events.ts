import type { JobOrigin, JobState, Priority } from './types';

/**
 * The studio stream the jobs module writes to the global log, one event per
 * state transition, so the timeline can show every attempt of a job. Topics
 * start with `$`, so no hook pattern with a leading wildcard sees them
 * (DESIGN §3.3). Each event's causation is the job's origin event, when it
 * has one.
 *
 * | topic | when |
 * |---|---|
 * | `$jobs.pending` | enqueued ready, a delay came due, or redriven |
 * | `$jobs.scheduled` | enqueued with a delay |
 * | `$jobs.running` | leased: an attempt starts |
 * | `$jobs.completed` | acked |
 * | `$jobs.retrying` | an attempt failed, timed out or was reclaimed |
 * | `$jobs.dead_letter` | out of attempts, rejected, or not retryable |
 * | `$jobs.purged` | a DLQ entry was deleted (the job is gone) |
 *
 * @packageDocumentation
 */

/** The prefix of every jobs topic. */
export const JOBS_TOPIC_PREFIX = '$jobs.';

/** Why an attempt ended without success. */
export type AttemptEnd =
  /** The worker naked it. */
  | 'failed'
  /** Its lease ran out (`expire`). */
  | 'timeout'
  /** A newer leader reclaimed the lease (`reclaim`). */
  | 'leader_lost'
  /** The worker naked it as not retryable. */
  | 'unrecoverable';

/** The payload of every `$jobs.*` event. */
export interface JobEvent {
  job: string;
  queue: string;
  priority: Priority;
  /** The state before; null for a new job. */
  from: JobState | null;
  /** The state after (also the topic's last token, except `purged`). */
  state: JobState | 'purged';
  /** The lease attempt number this event is about (0 before the first). */
  attempt: number;
  /** Attempts counted toward `maxAttempts` (0 again after a redrive). */
  attempts: number;
  maxAttempts: number;
  redriveCount: number;
  origin: JobOrigin | null;
  /** The worker holding the lease (`running`). */
  worker: string | null;
  /** The term of the lease (`running`), or of the lease that ended. */
  term: number | null;
  /** The lease deadline (`running`). */
  deadline: number | null;
  /** When the job becomes leasable (`scheduled`, `retrying`). */
  due: number | null;
  /** The planned retry delay (`retrying`). */
  delayMs: number | null;
  /** Why the attempt ended, or the DLQ reason (`dead_letter`). */
  reason: AttemptEnd | string | null;
  /** The attempt's error, if it failed. */
  error: string | null;
}

/** The topic of a transition into `state`. */
export function jobTopic(state: JobState | 'purged'): string {
  return JOBS_TOPIC_PREFIX + state;
}
