import type { Ready } from '../../../engine/raft/raft-node';
import type { Entry, HardState, Snapshot } from '../../../engine/raft/types';
import type { PersistedState } from '../../../engine/ports/storage';

/** One write of a Ready: what storage is asked to make durable. */
export interface Write {
  hardState?: HardState;
  entries: Entry[];
  snapshot?: Snapshot;
}

/**
 * What one node's disk holds. Writes are staged, then synced in order; a
 * crash loses whatever was staged and not synced. A fault mode lets hard
 * state writes fall behind later entry writes, re-creating the reordering
 * of reference/raft.md §2 bug 5 so a check can be shown to catch it.
 */
export class PersistModel {
  private hardState: HardState = { term: 0, vote: 0, commit: 0 };
  private snapshot: Snapshot | undefined;
  private entries: Entry[] = [];
  private staged: Write[] = [];
  /** Fault: hard states stay volatile while entries reach the disk. */
  reorderHardState = false;
  private lateHardState: HardState | undefined;

  /** Whether writes are staged and not yet synced. */
  get hasStaged(): boolean {
    return this.staged.length > 0;
  }

  stageReady(ready: Ready): void {
    const write: Write = { entries: ready.entries };
    if (ready.hardState !== undefined) {
      write.hardState = { ...ready.hardState };
    }
    if (ready.snapshot !== undefined) {
      write.snapshot = ready.snapshot;
    }
    this.staged.push(write);
  }

  /** Makes every staged write durable, in order. */
  sync(): void {
    for (const write of this.staged.splice(0)) {
      this.apply(write);
    }
  }

  /** A power cut: staged writes (and late hard states) are lost. */
  crash(): void {
    this.staged.length = 0;
    this.lateHardState = undefined;
  }

  /** Drops entries covered by a snapshot the application took. */
  compact(snapshot: Snapshot): void {
    this.snapshot = snapshot;
    this.entries = this.entries.filter((e) => e.index > snapshot.meta.index);
  }

  /** What a restarted node reads. */
  load(): PersistedState {
    const state: PersistedState = {
      hardState: { ...this.hardState },
      entries: this.entries.slice(),
    };
    if (this.snapshot !== undefined) {
      state.snapshot = this.snapshot;
    }
    return state;
  }

  /** The durable term at `index` (undefined when absent). */
  termAt(index: number): number | undefined {
    if (this.snapshot !== undefined && index <= this.snapshot.meta.index) {
      return index === this.snapshot.meta.index
        ? this.snapshot.meta.term
        : undefined;
    }
    return this.entries.find((e) => e.index === index)?.term;
  }

  /** Whether the durable snapshot covers `index`. */
  covers(index: number): boolean {
    return this.snapshot !== undefined && index <= this.snapshot.meta.index;
  }

  private apply(write: Write): void {
    if (write.snapshot !== undefined) {
      // a snapshot replaces the whole stored log (Ready contract)
      this.snapshot = write.snapshot;
      this.entries = [];
    }
    if (write.entries.length > 0) {
      const first = write.entries[0]!.index;
      this.entries = this.entries.filter((e) => e.index < first);
      this.entries.push(...write.entries);
    }
    if (write.hardState !== undefined) {
      if (this.reorderHardState) {
        this.lateHardState = write.hardState;
      } else {
        this.hardState = write.hardState;
      }
    }
  }

  /** Lets late hard states land (the fault mode's eventual write). */
  settle(): void {
    if (this.lateHardState !== undefined) {
      this.hardState = this.lateHardState;
      this.lateHardState = undefined;
    }
  }
}
