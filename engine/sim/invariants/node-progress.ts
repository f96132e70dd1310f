import type { HardState, NodeId } from '../../raft/types';
import { NO_NODE } from '../../raft/types';

import type { ReportFailure } from './election-safety';

/** What the simulator reads from a node after each event. */
export interface ProgressSample {
  term: number;
  vote: NodeId;
  commit: number;
  /** Highest index applied to the node's state machine. */
  applied: number;
  /** Index of the last entry in the node's log. */
  lastIndex: number;
}

interface Seen {
  incarnation: number;
  sample: ProgressSample;
}

/**
 * Per node incarnation, term, vote (within a term), commit and applied
 * never go backwards, and applied ≤ commit ≤ last index (DESIGN §3.3). A
 * restart starts a new incarnation, which must begin at or above what the
 * old one made durable.
 */
export class NodeProgress {
  private readonly seen = new Map<NodeId, Seen>();

  constructor(private readonly report: ReportFailure) {}

  /** Checks a new incarnation of `node` against what it loaded. */
  restarted(
    node: NodeId,
    incarnation: number,
    persisted: HardState,
    sample: ProgressSample,
  ): void {
    if (sample.commit < persisted.commit) {
      this.fail(
        node,
        `restarted with commit ${sample.commit} below ` +
          `the persisted ${persisted.commit}`,
      );
    }
    if (sample.term < persisted.term) {
      this.fail(
        node,
        `restarted in term ${sample.term} below ` +
          `the persisted ${persisted.term}`,
      );
    }
    const sameTerm = sample.term === persisted.term;
    if (
      sameTerm &&
      persisted.vote !== NO_NODE &&
      sample.vote !== persisted.vote
    ) {
      this.fail(
        node,
        `restarted voting n${sample.vote} in term ` +
          `${sample.term} after persisting a vote for n${persisted.vote}`,
      );
    }
    this.seen.set(node, { incarnation, sample });
  }

  /** Checks `sample` against the previous one of the same incarnation. */
  observe(node: NodeId, incarnation: number, sample: ProgressSample): void {
    const before = this.seen.get(node);
    this.seen.set(node, { incarnation, sample });
    if (sample.applied > sample.commit) {
      this.fail(node, `applied ${sample.applied} past commit ${sample.commit}`);
    }
    if (sample.commit > sample.lastIndex) {
      this.fail(
        node,
        `commit ${sample.commit} past its last index ` + `${sample.lastIndex}`,
      );
    }
    if (before === undefined || before.incarnation !== incarnation) {
      return;
    }

    const prev = before.sample;
    if (sample.term < prev.term) {
      this.fail(node, `term went back from ${prev.term} to ${sample.term}`);
    }
    const sameTerm = sample.term === prev.term;
    if (sameTerm && prev.vote !== NO_NODE && sample.vote !== prev.vote) {
      this.fail(
        node,
        `vote in term ${sample.term} changed from ` +
          `n${prev.vote} to n${sample.vote}`,
      );
    }
    if (sample.commit < prev.commit) {
      this.fail(
        node,
        `commit went back from ${prev.commit} to ${sample.commit}`,
      );
    }
    if (sample.applied < prev.applied) {
      this.fail(
        node,
        `applied went back from ${prev.applied} to ` + `${sample.applied}`,
      );
    }
  }

  private fail(node: NodeId, what: string): void {
    this.report(`progress: n${node} ${what}`);
  }
}
