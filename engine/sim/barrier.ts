import { AspenError } from '../util/errors';

import type { EventQueue } from './event-queue';
import type { SimCluster } from './sim-cluster';

/**
 * One last write through the healed cluster's leader, retried until it is
 * applied: once it is, the leader has committed an entry of its own term
 * and with it everything before.
 */
export class Barrier {
  private isDone = false;

  constructor(
    private readonly cluster: SimCluster,
    private readonly queue: EventQueue,
  ) {
    this.propose();
  }

  /** Whether the write has been applied by the leader that took it. */
  isApplied(): boolean {
    return this.isDone;
  }

  private propose(): void {
    if (this.isDone) {
      return;
    }
    const leader = this.cluster.leader();
    try {
      leader?.propose(
        { kind: 'read', client: 0, seq: 1, key: 'barrier' },
        (outcome) => {
          this.isDone ||= outcome.kind === 'applied';
        },
      );
    } catch (error) {
      // no leader right now, or it is busy: try again shortly
      if (!(error instanceof AspenError)) {
        throw error;
      }
    }
    this.queue.schedule(100, () => this.propose());
  }
}
