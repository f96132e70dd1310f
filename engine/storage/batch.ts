import type { Entry, HardState, Snapshot } from '../raft/types';
import type { PersistedState, StorageBatch } from '../ports/storage';
import { BugError } from '../util/errors';

/**
 * The stored log's extent: the first and last index held, both 0 when the
 * log is empty. Both storages track it so a save never has to scan.
 */
export interface LogBounds {
  first: number;
  last: number;
}

/** Bounds of an empty log. */
export const EMPTY_BOUNDS: LogBounds = { first: 0, last: 0 };

/** The hard state of a store nothing was saved to: term 0, no vote. */
export function emptyHardState(): HardState {
  return { term: 0, vote: 0, commit: 0 };
}

/**
 * Throws a {@link BugError} when `batch` cannot be applied to a log with
 * `bounds`: entries not consecutive, or starting past the end of a
 * non-empty log (a gap no reader could make sense of).
 */
export function checkBatch(bounds: LogBounds, batch: StorageBatch): void {
  const entries = batch.entries;
  if (entries === undefined || entries.length === 0) {
    return;
  }

  if (batch.replaceLog) {
    bounds = EMPTY_BOUNDS;
  }
  const start = entries[0]!.index;
  if (!Number.isSafeInteger(start) || start < 1) {
    throw new BugError(`storage: entry index ${start} is not a valid index`);
  }
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]!.index !== start + i) {
      throw new BugError(
        `storage: entries not consecutive at ${entries[i]!.index}`,
      );
    }
  }
  if (bounds.last !== 0 && start > bounds.last + 1) {
    throw new BugError(
      `storage: append at ${start} leaves a gap after ${bounds.last}`,
    );
  }
}

/**
 * The bounds after appending `count` entries from index `start` (with
 * conflict truncation).
 */
export function boundsAfterAppend(
  bounds: LogBounds,
  start: number,
  count: number,
): LogBounds {
  if (count === 0) {
    return bounds;
  }
  // every stored entry at or above `start` is replaced, so a start below
  // the current first index replaces the whole log
  const first =
    bounds.last === 0 || start < bounds.first ? start : bounds.first;
  return { first, last: start + count - 1 };
}

/** The bounds after dropping entries at or below `compactTo`. */
export function boundsAfterCompact(
  bounds: LogBounds,
  compactTo: number,
): LogBounds {
  if (bounds.last === 0 || compactTo < bounds.first) {
    return bounds;
  }
  if (compactTo >= bounds.last) {
    return EMPTY_BOUNDS;
  }
  return { first: compactTo + 1, last: bounds.last };
}

/** The bounds after `batch` is applied to a log with `bounds`. */
export function boundsAfterBatch(
  bounds: LogBounds,
  batch: StorageBatch,
): LogBounds {
  const entries = batch.entries ?? [];
  const base = batch.replaceLog ? EMPTY_BOUNDS : bounds;
  let next = boundsAfterAppend(base, entries[0]?.index ?? 0, entries.length);
  if (batch.compactTo !== undefined) {
    next = boundsAfterCompact(next, batch.compactTo);
  }
  return next;
}

/** A copy of `entry` that shares no memory with it. */
export function copyEntry(entry: Entry): Entry {
  return {
    index: entry.index,
    term: entry.term,
    type: entry.type,
    data: new Uint8Array(entry.data),
  };
}

/** A copy of `snapshot` that shares no memory with it. */
export function copySnapshot(snapshot: Snapshot): Snapshot {
  const { meta } = snapshot;
  return {
    meta: {
      index: meta.index,
      term: meta.term,
      conf: {
        voters: [...meta.conf.voters],
        learners: [...meta.conf.learners],
      },
    },
    data: new Uint8Array(snapshot.data),
  };
}

/** A copy of `batch` that shares no memory with it. */
export function copyBatch(batch: StorageBatch): StorageBatch {
  const copy: StorageBatch = {};
  if (batch.hardState !== undefined) {
    copy.hardState = { ...batch.hardState };
  }
  if (batch.entries !== undefined) {
    copy.entries = batch.entries.map(copyEntry);
  }
  if (batch.snapshot !== undefined) {
    copy.snapshot = copySnapshot(batch.snapshot);
  }
  if (batch.replaceLog) {
    copy.replaceLog = true;
  }
  if (batch.compactTo !== undefined) {
    copy.compactTo = batch.compactTo;
  }
  return copy;
}

/** A copy of `state` that shares no memory with it. */
export function copyState(state: PersistedState): PersistedState {
  const copy: PersistedState = {
    hardState: { ...state.hardState },
    entries: state.entries.map(copyEntry),
  };
  if (state.snapshot !== undefined) {
    copy.snapshot = copySnapshot(state.snapshot);
  }
  return copy;
}
