import type {
  EnqueueCommand,
  GrantedLease,
} from '../../../../engine/state/jobs/commands';
import type { JobsModule } from '../../../../engine/state/jobs/jobs-module';

import type { TestContext } from './test-context';

/** The success branch of a result, or throws with the refusal. */
export function ok<T extends { ok: boolean }>(result: T): T & { ok: true } {
  if (!result.ok) {
    throw new Error(`refused: ${JSON.stringify(result)}`);
  }
  return result as T & { ok: true };
}

/** The refusal code of a result, or undefined when it succeeded. */
export function codeOf(result: unknown): string | undefined {
  const refused = result as { ok: boolean; error?: { code: string } };
  return refused.ok ? undefined : refused.error?.code;
}

/** Enqueues a job with small defaults in a new entry; returns its id. */
export function enqueue(
  jobs: JobsModule,
  ctx: TestContext,
  fields: Partial<EnqueueCommand> = {},
): string {
  const command: EnqueueCommand = {
    type: 'enqueue',
    priority: 'normal',
    payload: { n: 1 },
    maxAttempts: 3,
    timeoutMs: 1000,
    ...fields,
  };
  return ok(jobs.apply(command, ctx.next())).job;
}

/** Leases up to `max` jobs in a new entry. */
export function leaseJobs(
  jobs: JobsModule,
  ctx: TestContext,
  max = 1,
): GrantedLease[] {
  const command = { type: 'lease', worker: 'w1', max } as const;
  return ok(jobs.apply(command, ctx.next())).leases;
}

/** The (job, attempt, term) a lease names. */
export function refOf(lease: GrantedLease) {
  return { job: lease.job, attempt: lease.attempt, term: lease.term };
}
