import { pack, unpack } from 'msgpackr';
import { expect } from 'vitest';

import { JobsModule } from '../../../../engine/state/jobs/jobs-module';
import type { Priority } from '../../../../engine/state/jobs/types';

import { TestContext } from './test-context';

/**
 * A plain model of the jobs module for the model-based test: an array of
 * jobs and linear scans, written to be obviously right rather than fast.
 */

/** Lease length in the model: timeout 1000 + grace 0 + 1000 margin. */
export const LEASE_MS = 2000;
/** Idempotency window in the model. */
export const KEY_TTL_MS = 5000;
/** Retention in the model: completed jobs and DLQ entries kept. */
export const KEEP_COMPLETED = 2;
export const KEEP_DLQ = 3;

const CONFIG = {
  graceMs: 0,
  idempotencyTtlMs: KEY_TTL_MS,
  completedMaxCount: KEEP_COMPLETED,
  dlqMaxCount: KEEP_DLQ,
};

export type ModelState =
  | 'pending'
  | 'scheduled'
  | 'retrying'
  | 'running'
  | 'completed'
  | 'dead_letter';

export interface ModelJob {
  id: string;
  seq: number;
  priority: Priority;
  maxAttempts: number;
  state: ModelState;
  attempts: number;
  lifetime: number;
  due: number;
  leaseTerm: number;
  deadline: number;
  reason: string | null;
  redrives: number;
}

const RANK: Record<Priority, number> = {
  critical: 0,
  high: 1,
  normal: 2,
  low: 3,
};

export class JobsModel {
  now = 0;
  term = 1;
  jobs: ModelJob[] = [];
  keys: { key: string; job: string; at: number }[] = [];
  /** Sequence number of the next job. */
  seq = 1;
  /** Completed and DLQ job ids, oldest first, for retention. */
  completed: string[] = [];
  dlq: string[] = [];

  running(): ModelJob[] {
    return this.jobs.filter((job) => job.state === 'running');
  }

  /** DLQ entries in the order they entered. */
  dead(): ModelJob[] {
    return this.dlq.map((id) => this.jobs.find((job) => job.id === id)!);
  }

  /** Jobs a lease would take, in order. */
  leasable(): ModelJob[] {
    return this.jobs
      .filter((job) => ['pending', 'scheduled', 'retrying'].includes(job.state))
      .filter((job) => job.due <= this.now)
      .sort(
        (a, b) =>
          RANK[a.priority] - RANK[b.priority] || a.due - b.due || a.seq - b.seq,
      );
  }

  /** Every deadline the module should report, soonest first. */
  deadlines(): { due: number; id: string }[] {
    const list: { due: number; id: string; seq: number }[] = [];
    for (const job of this.jobs) {
      if (job.state === 'running') {
        list.push({ due: job.deadline, id: `lease:${job.id}`, seq: job.seq });
      }
      if (job.state === 'scheduled' || job.state === 'retrying') {
        list.push({ due: job.due, id: `due:${job.id}`, seq: job.seq });
      }
    }
    list.sort((a, b) => a.due - b.due || a.seq - b.seq);
    return list.map(({ due, id }) => ({ due, id }));
  }

  complete(job: ModelJob): void {
    job.state = 'completed';
    this.completed.push(job.id);
  }

  toDlq(job: ModelJob, reason: string): void {
    job.state = 'dead_letter';
    job.reason = reason;
    this.dlq.push(job.id);
  }

  /** An attempt ended badly: retry after the back-off, or DLQ. */
  fail(job: ModelJob, isTimeout: boolean, delayMs?: number): void {
    if (job.attempts >= Math.max(1, job.maxAttempts)) {
      const reason = isTimeout ? 'processing_timeout' : 'max_retries_exceeded';
      this.toDlq(job, reason);
      return;
    }
    const backoff = Math.min(10_000, 100 * 2 ** (job.attempts - 1));
    job.state = 'retrying';
    job.due = this.now + (delayMs ?? backoff);
  }

  /** Drops the oldest completed jobs and DLQ entries beyond the limits. */
  trim(): void {
    const drop = (list: string[], keep: number) => {
      const gone = list.splice(0, Math.max(0, list.length - keep));
      this.jobs = this.jobs.filter((job) => !gone.includes(job.id));
    };
    drop(this.completed, KEEP_COMPLETED);
    drop(this.dlq, KEEP_DLQ);
  }
}

/** One copy of the module with its own context. */
export class Replica {
  jobs = new JobsModule(CONFIG);
  readonly ctx = new TestContext();
}

/**
 * Two replicas fed the same commands; after `cut` steps the second is
 * replaced by a fresh module restored from its msgpack-encoded snapshot.
 */
export class Replicas {
  readonly a = new Replica();
  readonly b = new Replica();
  private steps = 0;

  constructor(private readonly cut: number) {}

  /** Runs a step on both at the model's time and term; same results. */
  step<T>(model: JobsModel, body: (r: Replica) => T): T {
    const run = (replica: Replica) => {
      replica.ctx.next({ now: model.now, term: model.term });
      return body(replica);
    };
    const result = run(this.a);
    expect(run(this.b)).toEqual(result);
    this.steps += 1;
    if (this.steps === this.cut) {
      const data = unpack(pack(this.b.jobs.snapshot()));
      this.b.jobs = new JobsModule(CONFIG);
      this.b.jobs.restore(data);
    }
    return result;
  }

  /** Both modules' states match the model, job by job. */
  check(model: JobsModel): void {
    this.checkOne(this.a.jobs, model);
    this.checkOne(this.b.jobs, model);
  }

  private checkOne(jobs: JobsModule, model: JobsModel): void {
    for (let seq = 1; seq < model.seq; seq++) {
      const isKept = model.jobs.some((job) => job.seq === seq);
      expect(jobs.job(`job-${seq}`) !== undefined, `job-${seq}`).toBe(isKept);
    }
    for (const want of model.jobs) {
      const have = jobs.job(want.id);
      expect(have?.state, want.id).toBe(want.state);
      expect(have?.attempts, want.id).toBe(want.attempts);
      expect(have?.dlq?.reason ?? null, want.id).toBe(want.reason);
      expect(have?.redriveCount, want.id).toBe(want.redrives);
      if (want.state !== 'running') {
        expect(have?.due, want.id).toBe(want.due);
      }
    }
    expect(jobs.deadlines()).toEqual(model.deadlines());
  }
}
