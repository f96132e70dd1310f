import type { ApplyContext } from '../module';

import type {
  AckCommand,
  GrantedLease,
  JobResults,
  LeaseCommand,
  LeaseRef,
  NakCommand,
  TermCommand,
} from './commands';
import type { JobLifecycle } from './job-lifecycle';
import type { Job } from './types';
import { LEASE_MARGIN_MS, PRIORITIES } from './types';
import { leaseFilter } from './validate';

/**
 * The commands of a job's attempts: lease, heartbeat (in-progress), ack,
 * nak, term, expiry of leases and delays, and reclaim after an election.
 *
 * @packageDocumentation
 */

/** Prefix of a lease deadline id. */
export const LEASE_ID = 'lease:';

/** Prefix of a scheduled job's or a retry's deadline id. */
export const DUE_ID = 'due:';

/**
 * Leases due jobs: critical before high before normal before low, then by
 * due time, then by enqueue order. Each lease starts an attempt.
 */
export function lease(
  life: JobLifecycle,
  command: LeaseCommand,
  ctx: ApplyContext,
): JobResults['lease'] {
  const queues = leaseFilter(command);
  const chosen: Job[] = [];
  for (const priority of PRIORITIES) {
    for (const job of life.store.waiting[priority].values()) {
      // ordered by due time, so nothing after this one is due either
      if (chosen.length >= command.max || job.due > ctx.now) {
        break;
      }
      if (queues === null || queues.has(job.queue)) {
        chosen.push(job);
      }
    }
  }
  return {
    ok: true,
    leases: chosen.map((job) => grant(life, job, command, ctx)),
  };
}

function grant(
  life: JobLifecycle,
  job: Job,
  command: LeaseCommand,
  ctx: ApplyContext,
): GrantedLease {
  const from = job.state;
  // the runner may need the whole timeout plus the kill grace to stop it
  const minimum = job.timeoutMs + job.graceMs + LEASE_MARGIN_MS;
  const leaseMs = Math.max(command.leaseMs ?? 0, minimum);
  life.store.dequeue(job);
  job.attempts += 1;
  job.lifetimeAttempts += 1;
  job.state = 'running';
  job.retryDelayMs = null;
  job.updatedAt = ctx.now;
  const held = {
    job: job.id,
    attempt: job.lifetimeAttempts,
    term: ctx.term,
    worker: command.worker,
    deadline: ctx.now + leaseMs,
    leaseMs,
  };
  job.lease = held;
  life.record(job, from, {
    worker: held.worker,
    term: held.term,
    deadline: held.deadline,
  });
  return {
    ...held,
    queue: job.queue,
    priority: job.priority,
    payload: structuredClone(job.payload),
    timeoutMs: job.timeoutMs,
    origin: structuredClone(job.origin),
    maxAttempts: job.maxAttempts,
  };
}

/** In-progress: the lease runs for another `leaseMs` from now. */
export function heartbeat(
  life: JobLifecycle,
  ref: LeaseRef,
  ctx: ApplyContext,
): JobResults['heartbeat'] {
  const job = life.leased(ref);
  const held = job.lease!;
  held.deadline = Math.max(held.deadline, ctx.now + held.leaseMs);
  job.updatedAt = ctx.now;
  return { ok: true, deadline: held.deadline };
}

/** The attempt succeeded: the job is completed. */
export function ack(
  life: JobLifecycle,
  command: AckCommand,
  ctx: ApplyContext,
): JobResults['ack'] {
  const job = life.leased(command);
  const { term } = job.lease!;
  job.state = 'completed';
  job.lease = null;
  job.result = command.result ?? null;
  job.completedAt = ctx.now;
  job.updatedAt = ctx.now;
  life.store.complete(job);
  life.unpin(job, ctx);
  life.record(job, 'running', { term });
  return { ok: true, state: 'completed' };
}

/** The attempt failed: retry after the back-off (or `delayMs`), or DLQ. */
export function nak(
  life: JobLifecycle,
  command: NakCommand,
  ctx: ApplyContext,
): JobResults['nak'] {
  const job = life.leased(command);
  const state = life.failAttempt(job, ctx, {
    end: command.retryable === false ? 'unrecoverable' : 'failed',
    error: String(command.error),
    delayMs: command.delayMs,
  });
  const isRetrying = state === 'retrying';
  return {
    ok: true,
    state: isRetrying ? 'retrying' : 'dead_letter',
    due: isRetrying ? job.due : null,
    delayMs: isRetrying ? job.retryDelayMs : null,
  };
}

/** The handler rejects the job for good: DLQ, `explicitly_rejected`. */
export function term(
  life: JobLifecycle,
  command: TermCommand,
  ctx: ApplyContext,
): JobResults['term'] {
  const job = life.leased(command);
  job.lastError = String(command.error);
  life.toDlq(job, 'explicitly_rejected', ctx, job.lease!.term);
  return { ok: true, state: 'dead_letter' };
}

/**
 * Expires the deadlines `ids` names that are at or before `at`: a lease
 * that ran out counts its attempt as failed (`processing_timeout` when it
 * was the last); a scheduled job or retry that came due becomes pending.
 */
export function expireIds(
  life: JobLifecycle,
  ids: string[],
  at: number,
  ctx: ApplyContext,
): JobResults['expire'] {
  const result: JobResults['expire'] = {
    ok: true,
    timedOut: [],
    promoted: [],
    ignored: [],
  };
  for (const id of ids) {
    const isLease = id.startsWith(LEASE_ID);
    const isDue = id.startsWith(DUE_ID);
    const jobId = id.slice((isLease ? LEASE_ID : DUE_ID).length);
    const job = life.store.jobs.get(jobId);
    const held = job?.lease;
    if (isLease && job && held && held.deadline <= at) {
      const error = `lease expired: no ack within ${held.leaseMs} ms`;
      const state = life.failAttempt(job, ctx, { end: 'timeout', error });
      result.timedOut.push({ job: jobId, attempt: held.attempt, state });
    } else if (isDue && job && isDelayed(job) && job.due <= at) {
      const from = job.state;
      job.state = 'pending';
      job.updatedAt = ctx.now;
      life.record(job, from, { due: job.due });
      result.promoted.push(jobId);
    } else {
      result.ignored.push(id);
    }
  }
  return result;
}

/**
 * A leader of `newTerm` was elected: every lease granted in an earlier
 * term ends, and its attempt counts as failed with `leader_lost`.
 */
export function reclaim(
  life: JobLifecycle,
  newTerm: number,
  ctx: ApplyContext,
): JobResults['reclaim'] {
  const stale = life.store
    .inSeqOrder()
    .filter((job) => job.lease !== null && job.lease.term < newTerm);
  const reclaimed = stale.map((job) => {
    const held = job.lease!;
    const error =
      `leader_lost: lease of term ${held.term} ended by the election ` +
      `of term ${newTerm}`;
    const state = life.failAttempt(job, ctx, { end: 'leader_lost', error });
    return { job: job.id, attempt: held.attempt, state };
  });
  return { ok: true, reclaimed };
}

/** Whether a job waits for a delay (scheduled or retrying). */
export function isDelayed(job: Job): boolean {
  return job.state === 'scheduled' || job.state === 'retrying';
}
