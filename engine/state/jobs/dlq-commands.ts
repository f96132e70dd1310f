import type { ApplyContext } from '../module';

import type { DlqSelector, JobResults } from './commands';
import type { JobLifecycle } from './job-lifecycle';
import type { Job } from './types';
import { checkSelector } from './validate';

/**
 * Redrive and purge: the two commands that act on DLQ entries, and only on
 * them (production's `redrive_job` is allowed only from `DeadLetter`).
 *
 * @packageDocumentation
 */

/**
 * Sends DLQ jobs back to `pending`, due now, with their payload and origin.
 * Their attempt count starts again from 0, so each redrive gets the full
 * `maxAttempts`; `redriveCount` goes up and `redrivenAt` is set.
 */
export function redrive(
  life: JobLifecycle,
  selector: DlqSelector,
  ctx: ApplyContext,
): JobResults['redrive'] {
  const { selected, skipped } = selectDlq(life, selector);
  const redriven = selected.map((job) => {
    const previousAttempts = job.attempts;
    life.store.leaveDlq(job);
    job.state = 'pending';
    job.attempts = 0;
    job.due = ctx.now;
    job.dlq = null;
    job.redriveCount += 1;
    job.redrivenAt = ctx.now;
    job.updatedAt = ctx.now;
    life.pin(job, ctx);
    life.store.enqueue(job);
    life.record(job, 'dead_letter', { due: job.due });
    return { job: job.id, previousAttempts, redriveCount: job.redriveCount };
  });
  return { ok: true, redriven, isAttemptCountReset: true, skipped };
}

/** Deletes DLQ entries for good. */
export function purge(
  life: JobLifecycle,
  selector: DlqSelector,
): JobResults['purge'] {
  const { selected, skipped } = selectDlq(life, selector);
  for (const job of selected) {
    life.store.delete(job);
    life.record(job, 'dead_letter', {}, 'purged');
  }
  return { ok: true, purged: selected.map((job) => job.id), skipped };
}

// by id in the order given, or every entry matching the filter in DLQ
// order; ids outside the DLQ are reported, not refused
function selectDlq(life: JobLifecycle, selector: DlqSelector) {
  checkSelector(selector);
  const skipped: string[] = [];
  const selected: Job[] = [];
  if ('ids' in selector) {
    for (const id of selector.ids) {
      const job = life.store.jobs.get(id);
      if (job?.state === 'dead_letter' && !selected.includes(job)) {
        selected.push(job);
      } else {
        skipped.push(id);
      }
    }
    return { selected, skipped };
  }
  const { queue, error } = selector.all;
  for (const id of life.store.dlq) {
    const job = life.store.jobs.get(id);
    const isMatch =
      job !== undefined &&
      (queue === undefined || job.queue === queue) &&
      (error === undefined || job.dlq?.finalError === error);
    if (isMatch) {
      selected.push(job);
    }
  }
  return { selected, skipped };
}
