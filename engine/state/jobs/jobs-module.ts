import type { ApplyContext, StateModule } from '../module';

import type {
  EnqueueCommand,
  JobCommand,
  JobResult,
  JobResultOf,
  JobResults,
} from './commands';
import { purge, redrive } from './dlq-commands';
import { JobCommandError } from './errors';
import { JobLifecycle } from './job-lifecycle';
import { JobStore } from './job-store';
import {
  DUE_ID,
  LEASE_ID,
  ack,
  expireIds,
  heartbeat,
  isDelayed,
  lease,
  nak,
  reclaim,
  term,
} from './lease-commands';
import type { DlqGroup, JobsView } from './queries';
import { dlqByError, viewJobs } from './queries';
import { readSnapshot, writeSnapshot } from './snapshot';
import type { Job, JobsConfig } from './types';
import { DEFAULT_JOBS_CONFIG } from './types';
import { enqueueSpec } from './validate';

/**
 * Durable jobs with priorities, leases fenced by (attempt, term), retries
 * with exponential back-off, a DLQ with redrive, and idempotency keys
 * (DESIGN §3.3, reference §8). Deterministic: time is `ctx.now`, jitter
 * comes from `ctx.random`, and every queue is ordered by explicit keys.
 *
 * Deadline ids are `lease:<job>` (an attempt's lease) and `due:<job>` (a
 * scheduled job or a retry). They reach the module through the machine's
 * `expire` entry ({@link JobsModule.expire}) or a jobs `expire` command.
 * Every transition emits a `$jobs.<state>` event (see `./events`).
 */
export class JobsModule implements StateModule<JobCommand, JobResult> {
  private readonly life: JobLifecycle;

  /** @param config - retention and default grace; see {@link JobsConfig} */
  constructor(config: Partial<JobsConfig> = {}) {
    this.life = new JobLifecycle({ ...DEFAULT_JOBS_CONFIG, ...config });
  }

  /** Applies one command; a refused command changes nothing. */
  apply<C extends JobCommand>(
    command: C,
    ctx: ApplyContext,
  ): JobResultOf<C['type']> {
    const result = this.life.run(ctx, () => this.dispatch(command, ctx));
    return result as JobResultOf<C['type']>;
  }

  /**
   * Handles deadline ids the leader's timer service saw pass, each checked
   * again against `ctx.now`; returns those it expired.
   */
  expire(ids: string[], ctx: ApplyContext): string[] {
    const done = this.life.run(ctx, () =>
      expireIds(this.life, ids, ctx.now, ctx),
    );
    const timedOut = done.timedOut.map(({ job }) => LEASE_ID + job);
    const promoted = done.promoted.map((job) => DUE_ID + job);
    return [...timedOut, ...promoted];
  }

  /** Lease deadlines and scheduled due times, ascending. */
  deadlines(): { due: number; id: string }[] {
    const out: { due: number; id: string }[] = [];
    for (const job of this.life.store.inSeqOrder()) {
      if (job.lease !== null) {
        out.push({ due: job.lease.deadline, id: LEASE_ID + job.id });
      } else if (isDelayed(job)) {
        out.push({ due: job.due, id: DUE_ID + job.id });
      }
    }
    // a stable sort over sequence order: ties stay in enqueue order
    return out.sort((a, b) => a.due - b.due);
  }

  /** Plain data, jobs in sequence order (see `./snapshot`). */
  snapshot(): unknown {
    return writeSnapshot(this.life.store);
  }

  /** Replaces the whole state; `undefined` means the initial state. */
  restore(data: unknown): void {
    this.life.store = data === undefined ? new JobStore() : readSnapshot(data);
  }

  /** One job by id (a copy), or undefined. */
  job(id: string): Job | undefined {
    const job = this.life.store.jobs.get(id);
    return job === undefined ? undefined : structuredClone(job);
  }

  /** Queues by priority, with leases and scheduled retries, for the UI. */
  view(): JobsView {
    return viewJobs(this.life.store);
  }

  /** The DLQ grouped by final error, for the UI. */
  dlqByError(): DlqGroup[] {
    return dlqByError(this.life.store);
  }

  private dispatch(command: JobCommand, ctx: ApplyContext): unknown {
    const life = this.life;
    if (typeof command !== 'object' || command === null) {
      throw new JobCommandError(
        'INVALID_ARGUMENT',
        'a job command is an object',
      );
    }
    switch (command.type) {
      case 'enqueue':
        return this.enqueue(command, ctx);
      case 'lease':
        return lease(life, command, ctx);
      case 'heartbeat':
        return heartbeat(life, command, ctx);
      case 'ack':
        return ack(life, command, ctx);
      case 'nak':
        return nak(life, command, ctx);
      case 'term':
        return term(life, command, ctx);
      case 'expire':
        // never past what the leader saw, nor past the entry's own time
        return expireIds(
          life,
          command.ids,
          Math.min(command.now, ctx.now),
          ctx,
        );
      case 'reclaim':
        return reclaim(life, command.term, ctx);
      case 'redrive':
        return redrive(life, command, ctx);
      case 'purge':
        return purge(life, command);
      default: {
        const type = JSON.stringify((command as { type?: unknown }).type);
        throw new JobCommandError(
          'INVALID_ARGUMENT',
          `unknown job command ${type}`,
        );
      }
    }
  }

  private enqueue(
    command: EnqueueCommand,
    ctx: ApplyContext,
  ): JobResults['enqueue'] {
    const { store, config } = this.life;
    const spec = enqueueSpec(command, config.graceMs);
    const key = spec.idempotencyKey;
    const known = key === null ? undefined : store.keys.get(key);
    if (known !== undefined && known.at + config.idempotencyTtlMs > ctx.now) {
      const state = store.jobs.get(known.job)?.state ?? 'unknown';
      return { ok: true, job: known.job, state, isDuplicate: true };
    }

    const seq = store.nextSeq++;
    const { delayMs, ...fields } = spec;
    const job: Job = {
      ...fields,
      id: `job-${seq}`,
      seq,
      state: delayMs > 0 ? 'scheduled' : 'pending',
      attempts: 0,
      lifetimeAttempts: 0,
      due: ctx.now + delayMs,
      retryDelayMs: null,
      createdAt: ctx.now,
      updatedAt: ctx.now,
      lease: null,
      lastError: null,
      result: null,
      completedAt: null,
      dlq: null,
      redriveCount: 0,
      redrivenAt: null,
      isOriginPinned: false,
    };
    this.life.pin(job, ctx);
    store.add(job);
    if (key !== null) {
      store.remember(key, job.id, ctx.now);
    }
    this.life.record(job, null, { due: job.due });
    return { ok: true, job: job.id, state: job.state, isDuplicate: false };
  }
}
