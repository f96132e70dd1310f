import type { PersistedState } from '../ports/storage';
import type { Entry, SnapshotMeta } from '../raft/types';

/**
 * A read-only view of one node's log as the invariants need it: which
 * term sits at which index. Entries folded into a snapshot are no longer
 * visible one by one; the snapshot's own (index, term) still is.
 */
export interface LogView {
  /** Last index covered by the snapshot the log starts after (0: none). */
  readonly snapIndex: number;
  /** Term of the entry at `snapIndex` (0: none). */
  readonly snapTerm: number;
  /** Index of the last entry, or `snapIndex` when there is none after it. */
  readonly lastIndex: number;
  /**
   * The term of the entry at `index`, `snapTerm` at `snapIndex`, and
   * `undefined` below the snapshot or past the end.
   */
  termAt(index: number): number | undefined;
}

/**
 * Whether `log` holds the entry (index, term): either as an entry, or
 * inside its snapshot. A snapshot only ever covers applied, hence committed,
 * entries, whose identity the committed-log checker already pins down.
 */
export function holdsEntry(log: LogView, index: number, term: number): boolean {
  if (index < log.snapIndex) {
    return true;
  }
  return log.termAt(index) === term;
}

/**
 * A node's log rebuilt from the ready batches the simulator saw it emit,
 * with the same rules a Storage applies: an append replaces everything at
 * and above its first index, a snapshot resets the log unless it holds the
 * snapshot's entry, compaction drops a prefix.
 */
export class LogMirror implements LogView {
  snapIndex = 0;
  snapTerm = 0;
  /** `terms[k]` is the term of the entry at `snapIndex + 1 + k`. */
  private terms: number[] = [];

  get lastIndex(): number {
    return this.snapIndex + this.terms.length;
  }

  termAt(index: number): number | undefined {
    if (index === this.snapIndex) {
      return this.snapTerm;
    }
    return this.terms[index - this.snapIndex - 1];
  }

  /**
   * Index of the first entry that could not be appended because it left a
   * hole after the last one (0: never). Nothing past a hole is readable:
   * a node loading such a log refuses it.
   */
  gapAt = 0;

  /** Appends `entries`, first dropping every entry at or after the first. */
  append(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) {
      return;
    }
    if (first.index > this.lastIndex + 1) {
      this.gapAt ||= first.index;
      return;
    }
    if (first.index <= this.snapIndex) {
      // entries overlapping the snapshot are already folded into it
      const skip = this.snapIndex + 1 - first.index;
      this.append(entries.slice(skip));
      return;
    }
    this.terms.length = Math.min(
      this.terms.length,
      first.index - this.snapIndex - 1,
    );
    for (const entry of entries) {
      this.terms.push(entry.term);
    }
  }

  /** Installs a snapshot received from the leader. */
  installSnapshot(meta: SnapshotMeta): void {
    if (this.termAt(meta.index) === meta.term && meta.index <= this.lastIndex) {
      this.compact(meta.index);
      return;
    }
    this.snapIndex = meta.index;
    this.snapTerm = meta.term;
    this.terms = [];
  }

  /** Folds every entry up to `index` (which the log holds) into a snapshot. */
  compact(index: number): void {
    if (index <= this.snapIndex) {
      return;
    }
    const term = this.termAt(index);
    if (term === undefined) {
      return;
    }
    this.terms = this.terms.slice(index - this.snapIndex);
    this.snapIndex = index;
    this.snapTerm = term;
  }

  /** A frozen copy, e.g. of a leader's log when it was elected. */
  freeze(): LogView {
    const copy = new LogMirror();
    copy.snapIndex = this.snapIndex;
    copy.snapTerm = this.snapTerm;
    copy.terms = this.terms.slice();
    return copy;
  }

  /** The log a node would load from `state`. */
  static fromPersisted(state: PersistedState): LogMirror {
    const mirror = new LogMirror();
    if (state.snapshot !== undefined) {
      mirror.snapIndex = state.snapshot.meta.index;
      mirror.snapTerm = state.snapshot.meta.term;
    }
    mirror.append(state.entries);
    return mirror;
  }
}
