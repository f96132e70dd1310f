import type {
  PersistedState,
  StorageBatch,
} from '../../../engine/ports/storage';
import type { Entry } from '../../../engine/raft/types';

/**
 * What a correct storage holds after a run of batches, computed the
 * plainest way (a map from index to entry) so tests check the storages
 * against something that shares no code with them.
 */
export class StorageModel {
  private hardState = { term: 0, vote: 0, commit: 0 };
  private snapshot: PersistedState['snapshot'];
  private readonly log = new Map<number, Entry>();

  /** A model that has applied `batches` in order. */
  static of(batches: readonly StorageBatch[]): StorageModel {
    const model = new StorageModel();
    for (const batch of batches) {
      model.apply(batch);
    }
    return model;
  }

  apply(batch: StorageBatch): void {
    if (batch.hardState) {
      this.hardState = { ...batch.hardState };
    }
    if (batch.snapshot) {
      this.snapshot = structuredClone(batch.snapshot);
    }
    const start = batch.entries?.[0]?.index;
    if (start !== undefined) {
      for (const index of [...this.log.keys()]) {
        if (index >= start) {
          this.log.delete(index);
        }
      }
      for (const entry of batch.entries!) {
        this.log.set(entry.index, structuredClone(entry));
      }
    }
    if (batch.compactTo !== undefined) {
      for (const index of [...this.log.keys()]) {
        if (index <= batch.compactTo) {
          this.log.delete(index);
        }
      }
    }
  }

  /** Index of the last entry held, 0 when the log is empty. */
  lastIndex(): number {
    return Math.max(0, ...this.log.keys());
  }

  state(): PersistedState {
    const entries = [...this.log.values()].sort((a, b) => a.index - b.index);
    const state: PersistedState = { hardState: { ...this.hardState }, entries };
    if (this.snapshot) {
      state.snapshot = structuredClone(this.snapshot);
    }
    return state;
  }
}

/** `count` entries from `start`, in `term`, with small distinct payloads. */
export function makeEntries(
  start: number,
  count: number,
  term: number,
): Entry[] {
  return Array.from({ length: count }, (_, i): Entry => ({
    index: start + i,
    term,
    type: i % 5 === 4 ? 'config' : 'normal',
    data: Uint8Array.of(term & 0xff, (start + i) & 0xff, 0, 0xff),
  }));
}

/** A state with every byte array as a plain Uint8Array, for comparing. */
export function plain(state: PersistedState): PersistedState {
  return structuredClone(state);
}
