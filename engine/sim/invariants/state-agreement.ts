import type { NodeId } from '../../raft/types';

import type { ReportFailure } from './election-safety';

/**
 * State Machine Safety seen from the state machine: two replicas that have
 * applied the same index hold the same state, whether they got there by
 * replaying the log or by restoring a snapshot.
 */
export class StateAgreement {
  private readonly hashes = new Map<number, { node: NodeId; hash: string }>();

  constructor(private readonly report: ReportFailure) {}

  /** Records that `node` has state `hash` after applying up to `index`. */
  observe(node: NodeId, index: number, hash: string): void {
    const known = this.hashes.get(index);
    if (known === undefined) {
      this.hashes.set(index, { node, hash });
      return;
    }
    if (known.hash !== hash) {
      this.report(
        `state agreement: n${node} and n${known.node} differ after ` +
          `applying index ${index}`,
      );
    }
  }
}
