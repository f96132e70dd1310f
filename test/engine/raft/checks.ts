import type { PersistModel } from './persist-model';
import type { NodeId } from '../../../engine/raft/types';

/** An applied entry of the harness's state machine. */
export interface AppliedEntry {
  index: number;
  term: number;
  data: string;
}

/**
 * The safety properties of reference/raft.md §4.1 the harness watches:
 * at most one leader per term, an index never applied with two different
 * entries, and every committed entry durable on a majority.
 */
export class SafetyChecker {
  /** term → every node seen leading in it. */
  readonly leaders = new Map<number, Set<NodeId>>();
  /** index → the entry first applied there, by any node. */
  readonly committed = new Map<number, AppliedEntry>();
  readonly violations: string[] = [];

  onApplied(node: NodeId, entry: AppliedEntry): void {
    const seen = this.committed.get(entry.index);
    if (seen === undefined) {
      this.committed.set(entry.index, entry);
    } else if (seen.term !== entry.term || seen.data !== entry.data) {
      this.violations.push(
        `node ${node} applied ${entry.index}/${entry.term} "${entry.data}" but ${seen.index}/${seen.term} "${seen.data}" was applied before`,
      );
    }
  }

  onLeader(node: NodeId, term: number): void {
    const leaders = this.leaders.get(term) ?? new Set<NodeId>();
    if (leaders.has(node)) {
      return;
    }
    leaders.add(node);
    this.leaders.set(term, leaders);
    if (leaders.size > 1) {
      this.violations.push(
        `term ${term} has leaders ${[...leaders].join(',')}`,
      );
    }
  }

  /**
   * Committed entries that fewer than a majority of the voters' disks
   * hold: a committed entry must survive the loss of any minority.
   */
  underReplicated(stores: PersistModel[]): string[] {
    const problems: string[] = [];
    const majority = Math.floor(stores.length / 2) + 1;
    for (const [index, entry] of this.committed) {
      const holders = stores.filter(
        (store) => store.covers(index) || store.termAt(index) === entry.term,
      );
      if (holders.length < majority) {
        problems.push(
          `committed ${index}/${entry.term} is durable on ${holders.length} of ${stores.length}`,
        );
      }
    }
    return problems;
  }
}
