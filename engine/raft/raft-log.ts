import type { Entry, Snapshot } from './types';
import { BugError } from '../util/errors';

/** The last index whose term is known and the term there. */
export interface LogPosition {
  index: number;
  term: number;
}

/**
 * The in-memory log of one node: every entry after the compaction point,
 * in an array offset by the first index, so a term lookup is O(1). It also
 * tracks how far the log is durable (`persisted`), committed and applied.
 *
 * Entries after `persisted` are the "unstable" ones a Ready hands out to be
 * written; truncation pulls `persisted` back so the rewrite goes out too.
 */
export class RaftLog {
  /** Index of the entry just before `entries[0]` (the compaction point). */
  private offset: number;
  private offsetTerm: number;
  private entries: Entry[];
  /** Highest index known committed. */
  committed: number;
  /** Highest index the application reported applied. */
  applied: number;
  /** Highest index known durable with the content the log now holds. */
  persisted: number;
  /** The latest snapshot, sent to followers that lack the log it covers. */
  snapshot: Snapshot;

  constructor(snapshot: Snapshot, entries: Entry[], committed: number) {
    this.offset = snapshot.meta.index;
    this.offsetTerm = snapshot.meta.term;
    this.snapshot = snapshot;
    this.entries = entries;
    this.applied = snapshot.meta.index;
    this.persisted = this.lastIndex();
    this.committed = Math.max(committed, snapshot.meta.index);
    if (this.committed > this.lastIndex()) {
      throw new BugError(
        `commit ${committed} is past the last index ${this.lastIndex()}`,
      );
    }
  }

  /** First index held in memory (after the compaction point). */
  firstIndex(): number {
    return this.offset + 1;
  }

  /** Last index of the log (the compaction point when empty). */
  lastIndex(): number {
    return this.offset + this.entries.length;
  }

  /** Term of the last entry. */
  lastTerm(): number {
    return this.term(this.lastIndex()) as number;
  }

  /** The term at `index`, or undefined when compacted away or past the end. */
  term(index: number): number | undefined {
    if (index === this.offset) {
      return this.offsetTerm;
    }
    return this.entries[index - this.offset - 1]?.term;
  }

  /** The entry at `index`, if the log holds it. */
  entry(index: number): Entry | undefined {
    return index > this.offset
      ? this.entries[index - this.offset - 1]
      : undefined;
  }

  /** Entries in [lo, hi); both must lie within the log. */
  slice(lo: number, hi: number): Entry[] {
    if (lo <= this.offset || hi > this.lastIndex() + 1 || lo > hi) {
      throw new BugError(
        `slice [${lo}, ${hi}) outside the log (${this.offset}, ${this.lastIndex()}]`,
      );
    }
    return this.entries.slice(lo - this.offset - 1, hi - this.offset - 1);
  }

  /**
   * Entries from `lo` on, stopping before the data would exceed `maxBytes`
   * (at least one entry, so a big entry still goes out). `bytes` receives
   * the data size of what was taken.
   */
  sliceBySize(
    lo: number,
    maxBytes: number,
  ): { entries: Entry[]; bytes: number } {
    const start = lo - this.offset - 1;
    let end = start;
    let bytes = 0;
    while (end < this.entries.length) {
      const size = this.entries[end]!.data.byteLength;
      if (end > start && bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      end += 1;
    }
    return { entries: this.entries.slice(start, end), bytes };
  }

  /**
   * The first index where `entries` disagree with the log (a different
   * term, or past the end), or 0 when the log already holds them all.
   */
  findConflict(entries: readonly Entry[]): number {
    for (const entry of entries) {
      if (this.term(entry.index) !== entry.term) {
        return entry.index;
      }
    }
    return 0;
  }

  /**
   * For fast backtracking: the highest index at or below `index` whose term
   * is at most `term`, as far as the log knows (the compaction point at
   * worst). A follower reports it on rejection; the leader uses it to skip
   * whole terms at once.
   */
  findConflictByTerm(index: number, term: number): LogPosition {
    let i = Math.min(index, this.lastIndex());
    while (i > this.offset) {
      const t = this.term(i) as number;
      if (t <= term) {
        return { index: i, term: t };
      }
      i -= 1;
    }
    return { index: this.offset, term: this.offsetTerm };
  }

  /** Whether a log ending at (index, term) is at least as up-to-date (§5.4.1). */
  isUpToDate(index: number, term: number): boolean {
    const lastTerm = this.lastTerm();
    return term > lastTerm || (term === lastTerm && index >= this.lastIndex());
  }

  /**
   * Appends `entries`, replacing whatever the log holds from their first
   * index on. Callers pass only entries past any matching prefix, so the
   * replaced part is a real conflict (§5.3).
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) {
      return;
    }
    const first = entries[0]!.index;
    if (first <= this.committed || first > this.lastIndex() + 1) {
      throw new BugError(
        `append at ${first}: committed ${this.committed}, last ${this.lastIndex()}`,
      );
    }
    this.entries.length = first - this.offset - 1;
    for (const entry of entries) {
      this.entries.push(entry);
    }
    this.persisted = Math.min(this.persisted, first - 1);
  }

  /** Drops every entry after `index` (test-only mutation path). */
  truncateTo(index: number): void {
    if (index < this.committed || index < this.offset) {
      throw new BugError(`cannot truncate to ${index}`);
    }
    this.entries.length = Math.min(this.entries.length, index - this.offset);
    this.persisted = Math.min(this.persisted, index);
  }

  /** Whether some entries still have to be handed out for writing. */
  hasUnstable(): boolean {
    return this.persisted < this.lastIndex();
  }

  /** The entries to write: everything after `persisted`. */
  unstableEntries(): Entry[] {
    return this.hasUnstable()
      ? this.entries.slice(this.persisted - this.offset)
      : [];
  }

  /**
   * Records that the log through (index, term) is durable. A term that no
   * longer matches means the log was rewritten meanwhile: the write that
   * replaces it will report in turn (Log Matching makes the term check
   * enough, §5.3).
   */
  stableTo(index: number, term: number): void {
    if (index > this.persisted && this.term(index) === term) {
      this.persisted = index;
    }
  }

  /** Raises the commit index; false when it was already there. */
  commitTo(index: number): boolean {
    if (index <= this.committed) {
      return false;
    }
    if (index > this.lastIndex()) {
      throw new BugError(
        `commit ${index} is past the last index ${this.lastIndex()}`,
      );
    }
    this.committed = index;
    return true;
  }

  /** Committed entries after `after`, to hand to the application. */
  committedAfter(after: number): Entry[] {
    const from = Math.max(after, this.offset);
    return from >= this.committed
      ? []
      : this.slice(from + 1, this.committed + 1);
  }

  /** Drops the entries at or below `index` (which must be in the log). */
  compact(index: number): void {
    const term = this.term(index);
    if (index <= this.offset) {
      return;
    }
    if (term === undefined || index > this.persisted) {
      throw new BugError(`cannot compact to ${index}`);
    }
    this.entries.splice(0, index - this.offset);
    this.offset = index;
    this.offsetTerm = term;
  }

  /**
   * Installs a received snapshot. The entries after it stay only if the log
   * holds the snapshot's last entry (Figure 13 rule 6); otherwise the whole
   * log goes (reference/raft.md §2 bug 16). Whatever stays is handed out for
   * writing again, since storage replaces its log with the snapshot.
   */
  restore(snapshot: Snapshot): void {
    const { index, term } = snapshot.meta;
    const suffix =
      this.term(index) === term
        ? this.slice(index + 1, this.lastIndex() + 1)
        : [];
    this.entries = suffix;
    this.offset = index;
    this.offsetTerm = term;
    this.snapshot = snapshot;
    this.committed = index;
    this.persisted = index;
  }
}
