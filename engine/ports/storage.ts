import type { Entry, HardState, Snapshot } from '../raft/types';

/** Everything a node persisted, read back when it starts. */
export interface PersistedState {
  hardState: HardState;
  /** The latest snapshot, if one was saved. */
  snapshot?: Snapshot;
  /** Log entries after the snapshot (or from index 1), in index order. */
  entries: Entry[];
}

/**
 * One write, applied atomically and in order with every other write: a
 * later batch never becomes durable before an earlier one (bug #5 of
 * reference/raft.md §2).
 */
export interface StorageBatch {
  /** New hard state, if it changed. */
  hardState?: HardState;
  /**
   * Entries to append. Any stored entry with an index at or above
   * `entries[0].index` is replaced (conflict truncation happens here).
   */
  entries?: Entry[];
  /** A snapshot to keep; entries it covers may be dropped. */
  snapshot?: Snapshot;
  /**
   * Drop every stored entry before appending `entries`: a snapshot from the
   * leader replaced the log (the core re-sends any entries it kept).
   */
  replaceLog?: boolean;
  /** Drop entries with index at or below this (log compaction). */
  compactTo?: number;
}

/**
 * The durable log, hard state and snapshot of one node. Implementations:
 * memory (tests and simulation; a crash loses unsynced writes) and
 * classic-level (the app; one synced LevelDB batch per save).
 */
export interface Storage {
  /** Reads what was persisted; an empty store gives term 0 and no entries. */
  load(): Promise<PersistedState>;
  /** Makes `batch` durable; resolves only once it is (fsync'd for LevelDB). */
  save(batch: StorageBatch): Promise<void>;
  /** Releases the store. Pending saves finish or reject first. */
  close(): Promise<void>;
}
