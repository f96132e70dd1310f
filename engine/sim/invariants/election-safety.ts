import type { NodeId } from '../../raft/types';

/** Receives one line per broken invariant. */
export type ReportFailure = (message: string) => void;

/**
 * Election Safety (§5.2): at most one node is leader in any term. Fed with
 * every (term, node) the simulator sees in the leader role, across all
 * incarnations, since a restart must not let a node or a peer win the same
 * term twice.
 */
export class ElectionSafety {
  private readonly leaders = new Map<number, NodeId>();

  constructor(private readonly report: ReportFailure) {}

  /** How many terms had a leader. */
  get count(): number {
    return this.leaders.size;
  }

  /** The leader seen for `term`, if any. */
  leaderOf(term: number): NodeId | undefined {
    return this.leaders.get(term);
  }

  /** Records that `node` is leader in `term`. */
  observeLeader(term: number, node: NodeId): void {
    const known = this.leaders.get(term);
    if (known === undefined) {
      this.leaders.set(term, node);
      return;
    }
    if (known !== node) {
      this.report(
        `election safety: n${known} and n${node} both leader in term ${term}`,
      );
    }
  }
}
