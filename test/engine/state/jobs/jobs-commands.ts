import fc from 'fast-check';
import { expect } from 'vitest';

import type { Priority } from '../../../../engine/state/jobs/types';

import { codeOf, ok } from './job-helpers';
import type { JobsModel, ModelJob, Replicas } from './jobs-model';
import { KEY_TTL_MS, LEASE_MS } from './jobs-model';

/**
 * fast-check commands for the jobs module: each applies one command to
 * the model and to both replicas, then compares.
 */

type Cmd = fc.Command<JobsModel, Replicas>;

/** How a reply names its lease: right, or stale in attempt or term. */
type Staleness = 'none' | 'attempt' | 'term';

function refFor(job: ModelJob, stale: Staleness) {
  return {
    job: job.id,
    attempt: job.lifetime + (stale === 'attempt' ? 1 : 0),
    term: job.leaseTerm + (stale === 'term' ? 1 : 0),
  };
}

class Enqueue implements Cmd {
  constructor(
    readonly priority: Priority,
    readonly maxAttempts: number,
    readonly key: string | undefined,
    readonly delayMs: number,
  ) {}
  check = () => true;
  run(m: JobsModel, r: Replicas): void {
    const { priority, maxAttempts, key, delayMs } = this;
    const command = {
      type: 'enqueue',
      priority,
      payload: { seq: m.seq },
      maxAttempts,
      timeoutMs: 1000,
      delayMs,
      ...(key && { idempotencyKey: key }),
    } as const;
    const result = r.step(m, (x) => x.jobs.apply(command, x.ctx));
    const known = m.keys.find(
      (k) => k.key === key && k.at + KEY_TTL_MS > m.now,
    );
    if (known) {
      expect(ok(result)).toMatchObject({ job: known.job, isDuplicate: true });
      return;
    }
    const seq = m.seq++;
    const id = `job-${seq}`;
    expect(ok(result)).toMatchObject({ job: id, isDuplicate: false });
    m.keys = m.keys.filter((k) => k.key !== key);
    if (key) {
      m.keys.push({ key, job: id, at: m.now });
    }
    m.jobs.push({
      id,
      seq,
      priority,
      maxAttempts,
      state: delayMs > 0 ? 'scheduled' : 'pending',
      attempts: 0,
      lifetime: 0,
      due: m.now + delayMs,
      leaseTerm: 0,
      deadline: 0,
      reason: null,
      redrives: 0,
    });
  }
  toString = () => `enqueue(${this.priority},${this.maxAttempts},${this.key})`;
}

class Lease implements Cmd {
  constructor(readonly max: number) {}
  check = () => true;
  run(m: JobsModel, r: Replicas): void {
    const command = { type: 'lease', worker: 'w', max: this.max } as const;
    const result = r.step(m, (x) => x.jobs.apply(command, x.ctx));
    const chosen = m.leasable().slice(0, this.max);
    for (const job of chosen) {
      job.state = 'running';
      job.attempts += 1;
      job.lifetime += 1;
      job.leaseTerm = m.term;
      job.deadline = m.now + LEASE_MS;
    }
    const leases = ok(result).leases;
    expect(leases.map((l) => [l.job, l.attempt, l.term, l.deadline])).toEqual(
      chosen.map((j) => [j.id, j.lifetime, j.leaseTerm, j.deadline]),
    );
  }
  toString = () => `lease(${this.max})`;
}

/** ack, nak, heartbeat or term on a running job, maybe with a stale ref. */
class Reply implements Cmd {
  constructor(
    readonly type: 'ack' | 'nak' | 'heartbeat' | 'term',
    readonly pick: number,
    readonly stale: Staleness,
    readonly delayMs: number | undefined,
  ) {}
  check = (m: Readonly<JobsModel>) => m.running().length > 0;
  run(m: JobsModel, r: Replicas): void {
    const running = m.running();
    const job = running[this.pick % running.length]!;
    const { type, delayMs } = this;
    const command = {
      type,
      ...refFor(job, this.stale),
      error: 'err',
      ...(delayMs !== undefined && { delayMs }),
    };
    const result = r.step(m, (x) => x.jobs.apply(command, x.ctx));
    if (this.stale !== 'none') {
      expect(codeOf(result)).toBe('FENCED');
      return;
    }
    ok(result);
    if (type === 'ack') {
      m.complete(job);
    } else if (type === 'nak') {
      m.fail(job, false, delayMs);
    } else if (type === 'heartbeat') {
      job.deadline = Math.max(job.deadline, m.now + LEASE_MS);
    } else {
      m.toDlq(job, 'explicitly_rejected');
    }
    m.trim();
  }
  toString = () => `${this.type}(${this.pick},${this.stale},${this.delayMs})`;
}

/** Time passes; the leader expires every deadline that passed. */
class Tick implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true;
  run(m: JobsModel, r: Replicas): void {
    m.now += this.ms;
    const due = m.deadlines().filter((d) => d.due <= m.now);
    const ids = due.map((d) => d.id);
    const expired = r.step(m, (x) => x.jobs.expire(ids, x.ctx));
    expect(expired.sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const [kind, jobId] = id.split(':');
      const job = m.jobs.find((j) => j.id === jobId)!;
      if (kind === 'lease') {
        m.fail(job, true);
      } else {
        job.state = 'pending';
      }
    }
    m.trim();
  }
  toString = () => `tick(${this.ms})`;
}

/** A new leader is elected; leases of older terms are reclaimed. */
class Reclaim implements Cmd {
  check = () => true;
  run(m: JobsModel, r: Replicas): void {
    m.term += 1;
    const command = { type: 'reclaim', term: m.term } as const;
    const result = r.step(m, (x) => x.jobs.apply(command, x.ctx));
    const stale = m.running().filter((job) => job.leaseTerm < m.term);
    expect(ok(result).reclaimed.map((e) => e.job)).toEqual(
      stale.map((job) => job.id),
    );
    stale.forEach((job) => m.fail(job, false));
    m.trim();
  }
  toString = () => 'reclaim';
}

class Redrive implements Cmd {
  constructor(readonly pick: number | 'all') {}
  check = () => true;
  run(m: JobsModel, r: Replicas): void {
    const dead = m.dead();
    const chosen =
      this.pick === 'all' ? dead : dead.slice(this.pick, this.pick + 1);
    const selector =
      this.pick === 'all' ? { all: {} } : { ids: chosen.map((j) => j.id) };
    const command = { type: 'redrive', ...selector } as const;
    const result = r.step(m, (x) => x.jobs.apply(command, x.ctx));
    expect(ok(result).redriven.map((e) => e.previousAttempts)).toEqual(
      chosen.map((job) => job.attempts),
    );
    for (const job of chosen) {
      Object.assign(job, { state: 'pending', attempts: 0, due: m.now });
      job.reason = null;
      job.redrives += 1;
      m.dlq.splice(m.dlq.indexOf(job.id), 1);
    }
  }
  toString = () => `redrive(${this.pick})`;
}

const enqueue = fc
  .tuple(
    fc.constantFrom<Priority>('critical', 'high', 'normal', 'low'),
    fc.integer({ min: 0, max: 3 }),
    fc.constantFrom(undefined, undefined, 'k1', 'k2'),
    fc.constantFrom(0, 0, 300),
  )
  .map((args) => new Enqueue(...args));

const reply = fc
  .tuple(
    fc.constantFrom('ack', 'ack', 'nak', 'nak', 'heartbeat', 'term'),
    fc.nat(9),
    fc.constantFrom<Staleness>('none', 'none', 'none', 'attempt', 'term'),
    fc.constantFrom(undefined, undefined, 0, 250),
  )
  .map((args) => new Reply(...args));

/** A command that also compares the whole state after it ran. */
function checked(command: Cmd): Cmd {
  return {
    check: (m) => command.check(m),
    run: (m, r) => {
      command.run(m, r);
      r.check(m);
    },
    toString: () => command.toString(),
  };
}

/**
 * Every command, weighted to keep jobs moving, with arguments small enough
 * to collide often.
 */
export const jobCommands = [
  fc
    .oneof(
      { arbitrary: enqueue, weight: 4 },
      {
        arbitrary: fc.integer({ min: 1, max: 3 }).map((n) => new Lease(n)),
        weight: 4,
      },
      { arbitrary: reply, weight: 6 },
      {
        arbitrary: fc.integer({ min: 0, max: 1500 }).map((ms) => new Tick(ms)),
        weight: 3,
      },
      { arbitrary: fc.constant(new Reclaim()), weight: 1 },
      {
        arbitrary: fc
          .oneof(fc.nat(3), fc.constant('all' as const))
          .map((pick) => new Redrive(pick)),
        weight: 1,
      },
    )
    .map(checked),
];
