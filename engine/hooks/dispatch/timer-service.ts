import type { LeaderProposer } from './leader-proposer';
import type { Clock, Disposable } from '../../ports/clock';
import type { Logger } from '../../ports/logger';

/**
 * The leader's timer service (DESIGN §3.3): it watches the state's
 * deadlines (KV TTLs, job leases, scheduled jobs and retries) and, when
 * they pass, proposes batched `expire{ids, now}` entries. Apply checks
 * each id again, so an expiry that races a heartbeat is harmless.
 *
 * A new leader first renews what it inherits: a deadline known when the
 * service starts gets the time it had left as of the state's last entry,
 * counted from the election, so the failover gap alone expires nothing
 * (as etcd's lessor does on promotion). Deadlines set afterwards are used
 * as they are.
 *
 * @packageDocumentation
 */

/** Most ids in one expire entry. */
export const EXPIRE_BATCH = 256;

/** How soon a changed state is looked at again (ms). */
export const RECHECK_MS = 50;

/** What the timer service needs from its leader. */
export interface TimerServiceDeps {
  /** The state's deadlines, ascending by due (the machine's). */
  deadlines(): { due: number; id: string }[];
  /** The state's cluster time (ms) as of its last entry. */
  stateTime(): number;
  /** The leader's cluster time (ms). */
  clusterNow(): number;
  proposer: LeaderProposer;
  clock: Clock;
  logger: Logger;
}

/** The timer service of one leader term. */
export class TimerService {
  // inherited deadlines: the due the state had, and when it is due now
  private readonly renewed = new Map<string, { due: number; until: number }>();
  private timer?: Disposable;
  private timerAt = Infinity;
  private isProposing = false;
  private isStopped = false;
  // ids the last expire named, with their due then and when to try again:
  // one still listed unchanged waits a pause, so it cannot spin the loop
  private lastBatch = new Map<string, { due: number; retryAt: number }>();

  constructor(private readonly deps: TimerServiceDeps) {}

  /** Renews the inherited deadlines and starts watching. */
  start(): void {
    const now = this.deps.clusterNow();
    const stateTime = this.deps.stateTime();
    for (const { due, id } of this.deps.deadlines()) {
      const left = Math.max(0, due - stateTime);
      this.renewed.set(id, { due, until: Math.max(due, now + left) });
    }
    this.wakeAt(now);
  }

  /** A deadline at `due` (cluster ms) may have been set. */
  noteDeadline(due: number): void {
    this.wakeAt(due);
  }

  /** Something changed that may have set a deadline (a KV TTL). */
  noteChange(): void {
    this.wakeAt(this.deps.clusterNow() + RECHECK_MS);
  }

  /** Stops for good; nothing more is proposed. */
  stop(): void {
    this.isStopped = true;
    this.timer?.dispose();
    this.timer = undefined;
  }

  private wakeAt(at: number): void {
    if (this.isStopped || at >= this.timerAt) {
      return;
    }
    this.timer?.dispose();
    this.timerAt = at;
    const wait = Math.max(0, at - this.deps.clusterNow());
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      void this.tick();
    }, wait);
  }

  private async tick(): Promise<void> {
    if (this.isStopped || this.isProposing) {
      return;
    }
    const now = this.deps.clusterNow();
    const { due: dueDeadlines, next } = this.scan(now);
    const due = dueDeadlines.map((deadline) => deadline.id);
    if (due.length === 0) {
      if (next !== Infinity) {
        this.wakeAt(next);
      }
      return;
    }

    this.isProposing = true;
    let isDone = false;
    try {
      await this.deps.proposer.propose({ t: 'expire', ids: due, now });
      isDone = true;
    } catch (error) {
      this.deps.logger.debug('expire failed', { error: String(error) });
    } finally {
      this.isProposing = false;
    }
    this.lastBatch = new Map();
    if (isDone) {
      const retryAt = now + RECHECK_MS;
      for (const { id, due: at } of dueDeadlines) {
        this.lastBatch.set(id, { due: at, retryAt });
      }
    }
    // what one entry did not cover comes next; after a failure, a pause
    const later = isDone ? 0 : RECHECK_MS;
    this.wakeAt(this.deps.clusterNow() + later);
  }

  private scan(now: number): {
    due: { due: number; id: string }[];
    next: number;
  } {
    const due: { due: number; id: string }[] = [];
    let next = Infinity;
    for (const deadline of this.deps.deadlines()) {
      if (deadline.due > now) {
        next = Math.min(next, deadline.due);
        break;
      }
      const inherited = this.renewed.get(deadline.id);
      let at =
        inherited !== undefined && inherited.due === deadline.due
          ? inherited.until
          : deadline.due;
      const tried = this.lastBatch.get(deadline.id);
      if (tried !== undefined && tried.due === deadline.due) {
        at = Math.max(at, tried.retryAt);
      }
      if (at > now) {
        next = Math.min(next, at);
      } else if (due.length < EXPIRE_BATCH) {
        due.push(deadline);
      } else {
        next = now;
      }
    }
    return { due, next };
  }
}
