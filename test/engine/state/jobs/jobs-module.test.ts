// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { retryDelay } from '../../../../engine/state/jobs/backoff';
import { JobsModule } from '../../../../engine/state/jobs/jobs-module';
import { DEFAULT_BACKOFF } from '../../../../engine/state/jobs/types';

import { codeOf, enqueue, leaseJobs, ok, refOf } from './job-helpers';
import { TestContext } from './test-context';

/** Fails every attempt of one job; returns the delays and the end state. */
function failUntilDead(maxAttempts: number) {
  const jobs = new JobsModule();
  const ctx = new TestContext();
  const id = enqueue(jobs, ctx, { maxAttempts });
  const delays: number[] = [];
  for (let round = 0; round < 20; round++) {
    const [held] = leaseJobs(jobs, ctx);
    if (held === undefined) {
      break;
    }
    const command = { type: 'nak', ...refOf(held), error: 'boom' } as const;
    const result = ok(jobs.apply(command, ctx.next()));
    if (result.state === 'dead_letter') {
      break;
    }
    delays.push(result.delayMs!);
    ctx.next({ now: result.due! });
  }
  return { delays, job: jobs.job(id)!, ctx };
}

describe('JobsModule', () => {
  describe('nak', () => {
    it('backs off 100, 200, 400, 800 ms, then DLQ, at retry_count 5', () => {
      const { delays, job } = failUntilDead(5);
      expect(delays).toEqual([100, 200, 400, 800]);
      expect(job.state).toBe('dead_letter');
      expect(job.dlq).toMatchObject({
        reason: 'max_retries_exceeded',
        attempts: 5,
        finalError: 'boom',
      });
    });

    it('doubles up to the 10 s cap when more attempts are allowed', () => {
      const { delays } = failUntilDead(10);
      expect(delays).toEqual([
        100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000,
      ]);
    });

    it('allows exactly one attempt when retry_count is 0', () => {
      const { delays, job } = failUntilDead(0);
      expect(delays).toEqual([]);
      expect(job.attempts).toBe(1);
      expect(job.dlq?.reason).toBe('max_retries_exceeded');
    });

    it('dead-letters at once as unrecoverable_error when not retryable', () => {
      const jobs = new JobsModule();
      const ctx = new TestContext();
      enqueue(jobs, ctx);
      const [held] = leaseJobs(jobs, ctx);
      const nak = {
        type: 'nak',
        ...refOf(held!),
        error: 'bad',
        retryable: false,
      } as const;
      ok(jobs.apply(nak, ctx.next()));
      expect(jobs.job(held!.job)?.dlq?.reason).toBe('unrecoverable_error');
    });
  });

  describe('fencing', () => {
    it('answers FENCED, changing nothing, to a stale attempt or term', () => {
      const jobs = new JobsModule();
      const ctx = new TestContext();
      enqueue(jobs, ctx);
      const [held] = leaseJobs(jobs, ctx);
      const before = JSON.stringify(jobs.snapshot());
      const staleTerm = { ...refOf(held!), term: held!.term + 1 };
      const staleAttempt = { ...refOf(held!), attempt: 2 };
      for (const ref of [staleTerm, staleAttempt]) {
        for (const type of ['ack', 'heartbeat', 'term'] as const) {
          const result = jobs.apply({ type, ...ref, error: 'x' }, ctx.next());
          expect(codeOf(result)).toBe('FENCED');
        }
        const nak = jobs.apply({ type: 'nak', ...ref, error: 'x' }, ctx.next());
        expect(codeOf(nak)).toBe('FENCED');
      }
      expect(JSON.stringify(jobs.snapshot())).toBe(before);
      const ack = { type: 'ack', job: 'job-99', attempt: 1, term: 1 } as const;
      expect(codeOf(jobs.apply(ack, ctx.next()))).toBe('JOB_NOT_FOUND');
    });

    it('fences a worker from before a redrive out of the new lease', () => {
      const jobs = new JobsModule();
      const ctx = new TestContext();
      const id = enqueue(jobs, ctx, { maxAttempts: 1 });
      const [zombie] = leaseJobs(jobs, ctx);
      const term = { type: 'term', ...refOf(zombie!), error: 'no' } as const;
      ok(jobs.apply(term, ctx.next()));
      const redriven = ok(
        jobs.apply({ type: 'redrive', ids: [id] }, ctx.next()),
      );
      expect(redriven).toMatchObject({
        isAttemptCountReset: true,
        redriven: [{ job: id, previousAttempts: 1, redriveCount: 1 }],
      });
      const [fresh] = leaseJobs(jobs, ctx);
      expect(jobs.job(id)?.attempts).toBe(1);
      expect(fresh!.attempt).toBe(2);
      const ack = { type: 'ack', ...refOf(zombie!) } as const;
      expect(codeOf(jobs.apply(ack, ctx.next()))).toBe('FENCED');
    });
  });

  describe('lease', () => {
    it('lasts at least the timeout plus the grace plus 1 s', () => {
      const jobs = new JobsModule({ graceMs: 5000 });
      const ctx = new TestContext();
      enqueue(jobs, ctx, { timeoutMs: 2000 });
      enqueue(jobs, ctx, { timeoutMs: 2000, graceMs: 10 });
      const [first, second] = leaseJobs(jobs, ctx, 2);
      expect(first!.deadline - ctx.now).toBe(8000);
      expect(second!.deadline - ctx.now).toBe(3010);
      const command = {
        type: 'lease',
        worker: 'w',
        max: 1,
        leaseMs: 60_000,
      } as const;
      enqueue(jobs, ctx);
      const [long] = ok(jobs.apply(command, ctx.next())).leases;
      expect(long!.deadline - ctx.now).toBe(60_000);
    });

    it('counts a timed-out lease as an attempt, not a moved one', () => {
      const jobs = new JobsModule({ graceMs: 0 });
      const ctx = new TestContext();
      const id = enqueue(jobs, ctx, { maxAttempts: 2, timeoutMs: 1000 });
      const [held] = leaseJobs(jobs, ctx);
      ctx.next({ now: 1500 });
      ok(jobs.apply({ type: 'heartbeat', ...refOf(held!) }, ctx));
      expect(jobs.expire([`lease:${id}`], ctx.next({ now: 2000 }))).toEqual([]);
      expect(jobs.deadlines()).toEqual([{ due: 3500, id: `lease:${id}` }]);
      const expired = jobs.expire([`lease:${id}`], ctx.next({ now: 3500 }));
      expect(expired).toEqual([`lease:${id}`]);
      expect(jobs.job(id)).toMatchObject({ state: 'retrying', attempts: 1 });
      const due = jobs.job(id)!.due;
      expect(jobs.expire([`due:${id}`], ctx.next({ now: due }))).toHaveLength(
        1,
      );
      expect(jobs.job(id)?.state).toBe('pending');
      leaseJobs(jobs, ctx);
      jobs.expire([`lease:${id}`], ctx.next({ now: due + 10_000 }));
      expect(jobs.job(id)?.dlq?.reason).toBe('processing_timeout');
    });
  });

  describe('reclaim', () => {
    it('ends leases of earlier terms as leader_lost attempts', () => {
      const jobs = new JobsModule();
      const ctx = new TestContext();
      const id = enqueue(jobs, ctx, { maxAttempts: 2 });
      const [held] = leaseJobs(jobs, ctx);
      const command = { type: 'reclaim', term: 2 } as const;
      const result = ok(jobs.apply(command, ctx.next({ term: 2 })));
      expect(result.reclaimed).toEqual([
        { job: id, attempt: 1, state: 'retrying' },
      ]);
      expect(jobs.job(id)?.lastError).toMatch(/^leader_lost/);
      const ack = { type: 'ack', ...refOf(held!) } as const;
      expect(codeOf(jobs.apply(ack, ctx.next()))).toBe('FENCED');
    });
  });

  describe('enqueue', () => {
    it('returns the existing job for a key seen within its window', () => {
      const jobs = new JobsModule({ idempotencyTtlMs: 1000 });
      const ctx = new TestContext();
      const first = enqueue(jobs, ctx, { idempotencyKey: 'k' });
      const again = jobs.apply(
        {
          type: 'enqueue',
          priority: 'low',
          payload: 2,
          maxAttempts: 1,
          timeoutMs: 1,
          idempotencyKey: 'k',
        },
        ctx.next({ now: 999 }),
      );
      expect(ok(again)).toMatchObject({ job: first, isDuplicate: true });
      ctx.next({ now: 1000 });
      expect(enqueue(jobs, ctx, { idempotencyKey: 'k' })).not.toBe(first);
    });

    it('refuses a malformed command with INVALID_ARGUMENT', () => {
      const jobs = new JobsModule();
      const ctx = new TestContext();
      const bad = { type: 'enqueue', priority: 'urgent', maxAttempts: 1 };
      expect(codeOf(jobs.apply(bad as never, ctx.next()))).toBe(
        'INVALID_ARGUMENT',
      );
      expect(ctx.events).toEqual([]);
    });
  });

  describe('events', () => {
    it('emits one $jobs event per transition, caused by the origin', () => {
      const jobs = new JobsModule();
      const ctx = new TestContext();
      const origin = { eventId: { index: 7, offset: 1 }, hook: 'audit' };
      enqueue(jobs, ctx, { origin, maxAttempts: 2, delayMs: 50 });
      jobs.expire(['due:job-1'], ctx.next({ now: 50 }));
      const [held] = leaseJobs(jobs, ctx);
      ok(jobs.apply({ type: 'nak', ...refOf(held!), error: 'e' }, ctx.next()));
      ctx.next({ now: 1000 });
      const [again] = leaseJobs(jobs, ctx);
      ok(jobs.apply({ type: 'ack', ...refOf(again!) }, ctx.next()));
      expect(ctx.topics()).toEqual([
        '$jobs.scheduled',
        '$jobs.pending',
        '$jobs.running',
        '$jobs.retrying',
        '$jobs.running',
        '$jobs.completed',
      ]);
      expect(ctx.events.every((e) => e.causation?.index === 7)).toBe(true);
      expect(ctx.pins.size).toBe(0);
    });
  });

  describe('redrive and purge', () => {
    it('groups the DLQ by error and acts only on DLQ entries', () => {
      const jobs = new JobsModule();
      const ctx = new TestContext();
      for (const error of ['a', 'b', 'a']) {
        enqueue(jobs, ctx, { maxAttempts: 1 });
        const [held] = leaseJobs(jobs, ctx);
        ok(jobs.apply({ type: 'nak', ...refOf(held!), error }, ctx.next()));
      }
      const live = enqueue(jobs, ctx);
      const groups = jobs.dlqByError();
      expect(groups.map((g) => [g.error, g.count])).toEqual([
        ['a', 2],
        ['b', 1],
      ]);
      const purge = { type: 'purge', all: { error: 'a' } } as const;
      expect(ok(jobs.apply(purge, ctx.next())).purged).toEqual([
        'job-1',
        'job-3',
      ]);
      const redrive = { type: 'redrive', ids: ['job-2', live] } as const;
      const result = ok(jobs.apply(redrive, ctx.next()));
      expect(result.skipped).toEqual([live]);
      expect(jobs.job('job-2')).toMatchObject({
        state: 'pending',
        payload: { n: 1 },
      });
    });
  });
});

describe('JobsModule.restore', () => {
  it('refuses another snapshot version and resets on undefined', () => {
    const jobs = new JobsModule();
    enqueue(jobs, new TestContext());
    expect(() => jobs.restore({ version: 2 })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_SNAPSHOT' }),
    );
    expect(jobs.job('job-1')).toBeDefined();
    jobs.restore(undefined);
    expect(jobs.job('job-1')).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('draws jittered delays from [delay/2, delay] using random only', () => {
    const policy = { ...DEFAULT_BACKOFF, jitter: true };
    const draws = [0, 1, 77, 2 ** 32 - 1].map((r) => retryDelay(policy, 4, r));
    draws.forEach((delay) => expect(delay).toBeGreaterThanOrEqual(400));
    draws.forEach((delay) => expect(delay).toBeLessThanOrEqual(800));
    expect(retryDelay(policy, 4, 77)).toBe(draws[2]);
  });
});
