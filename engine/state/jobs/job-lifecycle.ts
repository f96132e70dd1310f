import type { ApplyContext, EventId } from '../module';

import { retryDelay } from './backoff';
import type { LeaseRef } from './commands';
import { JobCommandError } from './errors';
import type { AttemptEnd, JobEvent } from './events';
import { jobTopic } from './events';
import { JobStore } from './job-store';
import type { DlqReason, Job, JobState, JobsConfig } from './types';

interface Queued {
  topic: string;
  payload: JobEvent;
  causation: EventId | undefined;
}

/** How an attempt ended without success. */
export interface AttemptFailure {
  end: AttemptEnd;
  error: string;
  /** A delay the worker asked for instead of the back-off (ms). */
  delayMs?: number;
}

/**
 * The transitions every job command shares (fencing, failing an attempt,
 * entering the DLQ, origin pins) and the event queue they write to.
 *
 * Events are queued while a command runs and emitted when it is done, so
 * whatever reacts to them from inside `emit` finds a consistent state.
 */
export class JobLifecycle {
  /** The jobs and their indexes. */
  store = new JobStore();
  private queued: Queued[] = [];

  /** @param config - retention limits and defaults */
  constructor(readonly config: JobsConfig) {}

  /**
   * Runs one command: a {@link JobCommandError} becomes a refusal that
   * changed nothing; otherwise retention is applied and the queued events
   * are emitted in order.
   */
  run<T>(ctx: ApplyContext, body: () => T): T {
    const outer = this.queued;
    this.queued = [];
    let result: T;
    let events: Queued[];
    try {
      result = body();
      // only work that went through trims, so a refusal changes nothing
      this.store.trim(ctx.now, this.config);
    } catch (error) {
      if (!(error instanceof JobCommandError)) {
        throw error;
      }
      result = error.toFailure() as T;
      this.queued = [];
    } finally {
      // a nested run (from inside emit) or a bug's throw must not leave
      // this command's events behind for the next one
      events = this.queued;
      this.queued = outer;
    }
    for (const { topic, payload, causation } of events) {
      ctx.emit(topic, payload, causation && { causation });
    }
    return result;
  }

  /** The running job a (job, attempt, term) names, or throws FENCED. */
  leased(ref: LeaseRef): Job {
    const job = this.store.jobs.get(ref.job);
    if (job === undefined) {
      throw new JobCommandError('JOB_NOT_FOUND', `no job ${ref.job}`);
    }
    const lease = job.lease;
    if (lease?.attempt !== ref.attempt || lease.term !== ref.term) {
      const held = lease
        ? `attempt ${lease.attempt} of term ${lease.term}`
        : `no lease (${job.state})`;
      throw new JobCommandError(
        'FENCED',
        `${job.id}: attempt ${ref.attempt} of term ${ref.term} is stale; ` +
          `the job holds ${held}`,
      );
    }
    return job;
  }

  /**
   * Ends the running attempt without success: the job retries after its
   * back-off, or enters the DLQ when it may not (production's `nack_job`).
   */
  failAttempt(job: Job, ctx: ApplyContext, how: AttemptFailure): JobState {
    const term = job.lease?.term ?? null;
    job.lease = null;
    job.lastError = how.error;
    job.updatedAt = ctx.now;
    if (how.end === 'unrecoverable') {
      this.toDlq(job, 'unrecoverable_error', ctx, term);
      return job.state;
    }
    // max_attempts counts the first attempt, so 0 behaves like 1
    if (job.attempts >= job.maxAttempts) {
      const isTimeout = how.end === 'timeout';
      const reason = isTimeout ? 'processing_timeout' : 'max_retries_exceeded';
      this.toDlq(job, reason, ctx, term);
      return job.state;
    }

    // jobs failing in one entry get different jitter, still from ctx.random
    const random = (ctx.random ^ Math.imul(job.seq, 0x9e3779b1)) >>> 0;
    const delayMs =
      how.delayMs ?? retryDelay(job.backoff, job.attempts, random);
    job.state = 'retrying';
    job.due = ctx.now + Math.max(0, delayMs);
    job.retryDelayMs = job.due - ctx.now;
    this.store.enqueue(job);
    this.record(job, 'running', {
      term,
      due: job.due,
      delayMs: job.retryDelayMs,
      reason: how.end,
      error: how.error,
    });
    return job.state;
  }

  /** Moves a job that just ended an attempt into the DLQ. */
  toDlq(
    job: Job,
    reason: DlqReason,
    ctx: ApplyContext,
    term: number | null,
  ): void {
    job.lease = null;
    job.state = 'dead_letter';
    job.updatedAt = ctx.now;
    job.dlq = {
      reason,
      enteredAt: ctx.now,
      attempts: job.attempts,
      finalError: job.lastError ?? '',
    };
    this.store.enterDlq(job);
    this.unpin(job, ctx);
    this.record(job, 'running', { term, reason, error: job.lastError });
  }

  /** Pins the job's origin event while the job has work left. */
  pin(job: Job, ctx: ApplyContext): void {
    job.isOriginPinned = job.origin !== null && ctx.pin(job.origin.eventId);
  }

  /** Releases the job's pin on its origin event, if it holds one. */
  unpin(job: Job, ctx: ApplyContext): void {
    if (job.isOriginPinned && job.origin !== null) {
      ctx.unpin(job.origin.eventId);
    }
    job.isOriginPinned = false;
  }

  /** Queues the `$jobs.<state>` event of a transition. */
  record(
    job: Job,
    from: JobState | null,
    detail: Partial<JobEvent>,
    state: JobState | 'purged' = job.state,
  ): void {
    const payload: JobEvent = {
      job: job.id,
      queue: job.queue,
      priority: job.priority,
      from,
      state,
      attempt: job.lifetimeAttempts,
      attempts: job.attempts,
      maxAttempts: job.maxAttempts,
      redriveCount: job.redriveCount,
      origin: structuredClone(job.origin),
      worker: null,
      term: null,
      deadline: null,
      due: null,
      delayMs: null,
      reason: null,
      error: null,
      ...detail,
    };
    const causation = job.origin?.eventId;
    this.queued.push({ topic: jobTopic(state), payload, causation });
  }
}
