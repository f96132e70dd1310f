import type { Entry, NodeId } from '../../raft/types';
import { holdsEntry, type LogView } from '../log-view';

import type { ReportFailure } from './election-safety';

/** A digest of an entry's type and data, so identity covers the payload. */
export function digestEntry(entry: Entry): number {
  let h = 0x811c9dc5 ^ entry.type.length ^ (entry.type.charCodeAt(0) << 8);
  h = Math.imul(h, 0x01000193) >>> 0;
  for (const byte of entry.data) {
    h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

interface LeaderLog {
  term: number;
  node: NodeId;
  log: LogView;
}

/**
 * The cluster's committed log as observed from every node, and three
 * invariants over it:
 * - committed entries never change identity: once any node has (index,
 *   term, data) committed, every node that commits that index commits the
 *   same entry (this is Log Matching restricted to committed prefixes,
 *   §5.3, and State Machine Safety, §5.4.3);
 * - Leader Completeness (§5.4): an entry committed in term U is in the log
 *   of every leader of a term above U, as that log stood when it won.
 *
 * The term an entry was committed in is not directly visible, so it is
 * bounded from above: a node that sees an index committed while in term V
 * learned it from the leader of V or earlier. Taking the minimum over all
 * observations can only check fewer leaders than the truth, never flag a
 * correct run.
 */
export class CommittedLog {
  private readonly terms: number[] = [];
  private readonly digests: (number | undefined)[] = [];
  private readonly commitTerms: number[] = [];
  /** Leaders in ascending term order. */
  private readonly leaders: LeaderLog[] = [];
  private highest = 0;

  constructor(private readonly report: ReportFailure) {}

  /** The highest index any node has committed. */
  get highestIndex(): number {
    return this.highest;
  }

  /** The term of the committed entry at `index`, when known. */
  termAt(index: number): number | undefined {
    return this.terms[index];
  }

  /**
   * Records that `node`, in term `observerTerm`, holds (index, term) as
   * committed. `digest` is `undefined` when only the position is known (a
   * snapshot's last entry).
   */
  observe(
    node: NodeId,
    index: number,
    term: number,
    digest: number | undefined,
    observerTerm: number,
  ): void {
    const known = this.terms[index];
    if (known === undefined) {
      this.terms[index] = term;
      this.digests[index] = digest;
      this.highest = Math.max(this.highest, index);
    } else if (known !== term) {
      this.report(
        `committed log: n${node} has term ${term} at committed index ` +
          `${index}, where term ${known} was committed`,
      );
      return;
    } else if (digest !== undefined) {
      const knownDigest = this.digests[index];
      if (knownDigest === undefined) {
        this.digests[index] = digest;
      } else if (knownDigest !== digest) {
        this.report(
          `committed log: n${node} has other data at committed index ` +
            `${index} (term ${term})`,
        );
        return;
      }
    }

    const before = this.commitTerms[index] ?? Infinity;
    if (observerTerm < before) {
      this.commitTerms[index] = observerTerm;
      this.checkLaterLeaders(index, term, observerTerm);
    }
  }

  /** Whether a leader of `term` was recorded. */
  knowsLeader(term: number): boolean {
    return this.leaders.some((leader) => leader.term === term);
  }

  /**
   * Records `log` as the log `node` won `term` with, and checks it holds
   * every entry committed in an earlier term.
   */
  observeLeader(term: number, node: NodeId, log: LogView): void {
    if (this.knowsLeader(term)) {
      return;
    }
    const frozen = { term, node, log };
    let at = this.leaders.length;
    while (at > 0 && this.leaders[at - 1]!.term > term) {
      at -= 1;
    }
    this.leaders.splice(at, 0, frozen);

    for (let index = log.snapIndex; index <= this.highest; index++) {
      const committedIn = this.commitTerms[index];
      if (committedIn !== undefined && committedIn < term) {
        this.checkHolds(frozen, index, this.terms[index]!, committedIn);
      }
    }
  }

  private checkLaterLeaders(
    index: number,
    term: number,
    committedIn: number,
  ): void {
    for (let i = this.leaders.length - 1; i >= 0; i--) {
      const leader = this.leaders[i]!;
      if (leader.term <= committedIn) {
        break;
      }
      this.checkHolds(leader, index, term, committedIn);
    }
  }

  private checkHolds(
    leader: LeaderLog,
    index: number,
    term: number,
    committedIn: number,
  ): void {
    if (index === 0 || holdsEntry(leader.log, index, term)) {
      return;
    }
    this.report(
      `leader completeness: n${leader.node}, leader of term ${leader.term}, ` +
        `lacks (${index}, term ${term}) committed by term ${committedIn}`,
    );
  }
}
