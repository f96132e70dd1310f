import type { NodeId } from '../../raft/types';
import type { LogView } from '../log-view';

import type { CommittedLog } from './committed-log';
import type { ReportFailure } from './election-safety';

/**
 * Rules about how one node's log may change, checked where it changes:
 * - a leader advances its commit index only onto an entry of its own term
 *   (§5.4.2; the Figure 8 bug of reference/raft.md §2 item 1);
 * - a node never drops an entry it holds as committed;
 * - within a term, a follower never drops entries it acknowledged to that
 *   term's leader (the stale-append truncation of item 10).
 */
export class LogSafety {
  /** Per node: the highest index acknowledged, and in which term. */
  private readonly acked = new Map<NodeId, { term: number; index: number }>();

  constructor(
    private readonly report: ReportFailure,
    private readonly committed: CommittedLog,
  ) {}

  /**
   * Checks a leader whose commit index moved from `fromCommit` (when it
   * was first seen leading `term`) to `commit`, with `log` its log now.
   */
  leaderCommit(
    node: NodeId,
    term: number,
    fromCommit: number,
    commit: number,
    log: LogView,
  ): void {
    if (commit <= fromCommit) {
      return;
    }
    const at = log.termAt(commit);
    if (at !== term) {
      this.report(
        `commit rule: n${node}, leader of term ${term}, moved commit to ` +
          `${commit} whose entry is of term ${at ?? '?'} (§5.4.2)`,
      );
    }
  }

  /** Records that `node` acknowledged entries up to `index` in `term`. */
  acknowledged(node: NodeId, term: number, index: number): void {
    const before = this.acked.get(node);
    if (before === undefined || before.term !== term || before.index < index) {
      this.acked.set(node, { term, index });
    }
  }

  /** Forgets acknowledgements of a node whose memory was wiped (a crash). */
  forget(node: NodeId): void {
    this.acked.delete(node);
  }

  /**
   * Checks `log` right after `node` (now in `term`, with commit index
   * `commit`) appended entries starting at `firstIndex`.
   */
  appended(
    node: NodeId,
    term: number,
    commit: number,
    firstIndex: number,
    log: LogView,
  ): void {
    if (log.lastIndex < commit) {
      this.report(
        `log safety: n${node} cut its log to ${log.lastIndex} below its ` +
          `commit index ${commit}`,
      );
      return;
    }
    for (let index = Math.max(firstIndex, 1); index <= commit; index++) {
      const known = this.committed.termAt(index);
      const held = log.termAt(index);
      if (known !== undefined && held !== undefined && held !== known) {
        this.report(
          `log safety: n${node} overwrote committed index ${index} ` +
            `(term ${known}) with term ${held}`,
        );
        return;
      }
    }

    const acked = this.acked.get(node);
    if (acked !== undefined && acked.term === term) {
      if (log.lastIndex < acked.index) {
        this.report(
          `log safety: n${node} cut its log to ${log.lastIndex} in term ` +
            `${term} after acknowledging ${acked.index} to its leader`,
        );
      }
    }
  }
}
