import { SortedList } from './sorted-list';
import type { Job, JobsConfig, Priority } from './types';

/**
 * The jobs module's indexes. Every job lives in `jobs`; waiting jobs
 * (pending, scheduled, retrying) are also in their priority's list, ordered
 * by (due, seq); completed jobs and DLQ entries are in FIFO lists ordered by
 * the cluster time they got there, which only grows, so trimming always
 * takes from the front. Nothing here reads Map order to decide anything.
 *
 * @packageDocumentation
 */

/** An idempotency key and the job it made. */
export interface KeyRecord {
  key: string;
  job: string;
  /** Cluster time (ms) the key was recorded. */
  at: number;
}

function byDueThenSeq(a: Job, b: Job): number {
  return a.due !== b.due ? a.due - b.due : a.seq - b.seq;
}

/** Removes `id` from a FIFO list of ids; false when absent. */
function removeId(list: string[], id: string): boolean {
  const at = list.indexOf(id);
  if (at < 0) {
    return false;
  }
  list.splice(at, 1);
  return true;
}

/** The jobs, their queues and their retention lists. */
export class JobStore {
  /** Every job by id. */
  readonly jobs = new Map<string, Job>();
  /** Waiting jobs per priority, ordered by (due, seq). */
  readonly waiting: Record<Priority, SortedList<Job>> = {
    critical: new SortedList(byDueThenSeq),
    high: new SortedList(byDueThenSeq),
    normal: new SortedList(byDueThenSeq),
    low: new SortedList(byDueThenSeq),
  };
  /** Completed job ids, oldest first. */
  readonly completed: string[] = [];
  /** DLQ job ids, in the order they entered. */
  readonly dlq: string[] = [];
  /** Idempotency keys, oldest first, and by key. */
  readonly keyOrder: KeyRecord[] = [];
  readonly keys = new Map<string, KeyRecord>();
  /** The next job's sequence number. */
  nextSeq = 1;

  /** Adds a new job; a waiting one goes into its queue. */
  add(job: Job): void {
    this.jobs.set(job.id, job);
    if (isWaiting(job)) {
      this.waiting[job.priority].insert(job);
    }
  }

  /** Puts a job in its priority queue; its due and seq must be final. */
  enqueue(job: Job): void {
    this.waiting[job.priority].insert(job);
  }

  /** Takes a job out of its priority queue (before its due changes). */
  dequeue(job: Job): void {
    this.waiting[job.priority].remove(job);
  }

  /** Records a job as completed, for retention. */
  complete(job: Job): void {
    this.completed.push(job.id);
  }

  /** Records a job as a DLQ entry. */
  enterDlq(job: Job): void {
    this.dlq.push(job.id);
  }

  /** Removes a job from the DLQ order (redrive or purge). */
  leaveDlq(job: Job): void {
    removeId(this.dlq, job.id);
  }

  /** Forgets a job entirely (only completed or DLQ jobs). */
  delete(job: Job): void {
    this.jobs.delete(job.id);
    if (!removeId(this.dlq, job.id)) {
      removeId(this.completed, job.id);
    }
  }

  /** Records the job an idempotency key made. */
  remember(key: string, job: string, at: number): void {
    // an expired key that retention has not trimmed yet makes way
    const stale = this.keys.get(key);
    if (stale !== undefined) {
      this.keyOrder.splice(this.keyOrder.indexOf(stale), 1);
    }
    const record = { key, job, at };
    this.keys.set(key, record);
    this.keyOrder.push(record);
  }

  /**
   * Drops what retention no longer keeps, as of `now`: the oldest
   * completed jobs, DLQ entries and idempotency keys beyond their count or
   * age. Running, waiting and fresh entries are never touched.
   */
  trim(now: number, config: JobsConfig): void {
    this.trimList(this.completed, (id) => {
      const at = this.jobs.get(id)?.completedAt ?? -Infinity;
      return (
        this.completed.length > config.completedMaxCount ||
        at + config.completedMaxAgeMs <= now
      );
    });
    this.trimList(this.dlq, (id) => {
      const at = this.jobs.get(id)?.dlq?.enteredAt ?? -Infinity;
      return (
        this.dlq.length > config.dlqMaxCount || at + config.dlqMaxAgeMs <= now
      );
    });
    while (this.keyOrder.length > 0) {
      const oldest = this.keyOrder[0] as KeyRecord;
      const isOld = oldest.at + config.idempotencyTtlMs <= now;
      if (!isOld && this.keyOrder.length <= config.idempotencyMaxCount) {
        break;
      }
      this.keyOrder.shift();
      this.keys.delete(oldest.key);
    }
  }

  /** Every job, in sequence order. */
  inSeqOrder(): Job[] {
    return [...this.jobs.values()].sort((a, b) => a.seq - b.seq);
  }

  private trimList(list: string[], isExpired: (id: string) => boolean) {
    while (list.length > 0 && isExpired(list[0] as string)) {
      this.jobs.delete(list.shift() as string);
    }
  }
}

/** Whether a job waits in a priority queue (pending, scheduled, retrying). */
export function isWaiting(job: Job): boolean {
  return (
    job.state === 'pending' ||
    job.state === 'scheduled' ||
    job.state === 'retrying'
  );
}
