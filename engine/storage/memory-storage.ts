import type { Entry } from '../raft/types';
import { randomInt, SeededRng, type Rng } from '../ports/rng';
import type { PersistedState, Storage, StorageBatch } from '../ports/storage';

import {
  boundsAfterAppend,
  boundsAfterBatch,
  boundsAfterCompact,
  checkBatch,
  copyBatch,
  copyState,
  EMPTY_BOUNDS,
  emptyHardState,
  type LogBounds,
} from './batch';
import { StorageClosedError } from './errors';

/** Options of a {@link MemoryStorage}. */
export interface MemoryStorageOptions {
  /** What the store starts with, as if reopened after a restart. */
  initial?: PersistedState;
  /**
   * Test-only fault: `crash()` may keep a later unsynced batch while losing
   * an earlier one, re-creating reference/raft.md §2 bug 5 so a mutation
   * test can show the checker catches it.
   * @defaultValue false
   */
  reorderWrites?: boolean;
  /**
   * Randomness for torn tails and reordering when `crash()` is given none.
   * @defaultValue a `SeededRng(0)`
   */
  rng?: Rng;
}

/** Options of {@link MemoryStorage.crash}. */
export interface CrashOptions {
  /**
   * Keep a random prefix (possibly empty or whole) of the entries of the
   * first unsynced batch, as a torn append to a log file leaves behind;
   * that batch's hard state, snapshot and compaction are still lost.
   * Ignored with `reorderWrites`.
   * @defaultValue false
   */
  tornTail?: boolean;
  /** Randomness for this crash; defaults to the store's own. */
  rng?: Rng;
}

/**
 * A {@link Storage} in memory, for tests and the deterministic simulator.
 * Writes are staged as unsynced until `sync()`, so the simulator can crash
 * a node between the two and lose exactly what a real disk would. Every
 * batch and state is copied on the way in and out.
 */
export class MemoryStorage implements Storage {
  private readonly durable: PersistedState;
  private durableBounds: LogBounds;
  /** Bounds as if every staged batch had been synced. */
  private stagedBounds: LogBounds;
  private readonly unsynced: StorageBatch[] = [];
  private readonly reorderWrites: boolean;
  private readonly rng: Rng;
  private isClosed = false;

  constructor(options: MemoryStorageOptions = {}) {
    this.durable = options.initial
      ? copyState(options.initial)
      : { hardState: emptyHardState(), entries: [] };
    this.durableBounds = boundsOf(this.durable.entries);
    this.stagedBounds = this.durableBounds;
    this.reorderWrites = options.reorderWrites ?? false;
    this.rng = options.rng ?? new SeededRng(0);
  }

  /** Number of batches staged and not yet synced. */
  get unsyncedCount(): number {
    return this.unsynced.length;
  }

  /** {@inheritDoc Storage.load} */
  load(): Promise<PersistedState> {
    return Promise.resolve().then(() => this.loadSync());
  }

  /** {@inheritDoc Storage.save} */
  save(batch: StorageBatch): Promise<void> {
    // staged synchronously so concurrent saves keep their call order
    try {
      this.saveSync(batch);
      this.sync();
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve();
  }

  /** {@inheritDoc Storage.close} */
  close(): Promise<void> {
    this.isClosed = true;
    return Promise.resolve();
  }

  /** What a restarted node would read: the durable state, copied. */
  loadSync(): PersistedState {
    this.assertOpen();
    return copyState(this.durable);
  }

  /**
   * Stages `batch` (copied) as unsynced: a crash before the next `sync()`
   * loses it. Throws a BugError for a malformed batch.
   */
  saveSync(batch: StorageBatch): void {
    this.assertOpen();
    checkBatch(this.stagedBounds, batch);
    const copy = copyBatch(batch);
    this.stagedBounds = boundsAfterBatch(this.stagedBounds, copy);
    this.unsynced.push(copy);
  }

  /** Makes every staged batch durable, in the order they were staged. */
  sync(): void {
    for (const batch of this.unsynced) {
      this.apply(batch, batch.entries);
    }
    this.unsynced.length = 0;
  }

  /**
   * Simulates a power cut: every unsynced batch is lost, except what the
   * fault options keep. The store stays open, as the restarted node's.
   */
  crash(options: CrashOptions = {}): void {
    const rng = options.rng ?? this.rng;
    const pending = this.unsynced.splice(0);

    if (this.reorderWrites) {
      // each unsynced batch independently survives or not, so a later one
      // can land without an earlier one: the bug the port forbids
      for (const batch of pending) {
        if (randomInt(rng, 2) === 1) {
          this.applyIfFits(batch);
        }
      }
    }

    const first = pending[0];
    if (options.tornTail && !this.reorderWrites && first?.entries) {
      const kept = randomInt(rng, first.entries.length + 1);
      if (kept > 0) {
        this.apply({}, first.entries.slice(0, kept));
      }
    }
    this.stagedBounds = this.durableBounds;
  }

  /** The durable state, copied, for invariant checks. */
  durableState(): PersistedState {
    return copyState(this.durable);
  }

  private applyIfFits(batch: StorageBatch): void {
    // a batch staged after a lost one may no longer line up with the log
    try {
      checkBatch(this.durableBounds, batch);
    } catch {
      return;
    }
    this.apply(batch, batch.entries);
  }

  private apply(batch: StorageBatch, entries: Entry[] | undefined): void {
    const state = this.durable;
    if (batch.hardState !== undefined) {
      state.hardState = { ...batch.hardState };
    }
    if (batch.snapshot !== undefined) {
      state.snapshot = batch.snapshot;
    }
    if (batch.replaceLog) {
      state.entries.length = 0;
      this.durableBounds = EMPTY_BOUNDS;
    }
    if (entries !== undefined && entries.length > 0) {
      const bounds = this.durableBounds;
      appendEntries(state.entries, bounds, entries);
      this.durableBounds = boundsAfterAppend(
        bounds,
        entries[0]!.index,
        entries.length,
      );
    }
    if (batch.compactTo !== undefined) {
      const bounds = this.durableBounds;
      this.durableBounds = boundsAfterCompact(bounds, batch.compactTo);
      if (this.durableBounds.last === 0) {
        state.entries.length = 0;
      } else if (this.durableBounds.first > bounds.first) {
        state.entries.splice(0, this.durableBounds.first - bounds.first);
      }
    }
  }

  private assertOpen(): void {
    if (this.isClosed) {
      throw new StorageClosedError();
    }
  }
}

function boundsOf(entries: readonly Entry[]): LogBounds {
  if (entries.length === 0) {
    return { first: 0, last: 0 };
  }
  return { first: entries[0]!.index, last: entries.at(-1)!.index };
}

function appendEntries(
  log: Entry[],
  bounds: LogBounds,
  entries: readonly Entry[],
): void {
  // entries are already private copies: staged batches are never handed out
  const start = entries[0]!.index;
  if (bounds.last === 0 || start < bounds.first) {
    log.length = 0;
  } else {
    log.length = start - bounds.first;
  }
  for (const entry of entries) {
    log.push(entry);
  }
}
