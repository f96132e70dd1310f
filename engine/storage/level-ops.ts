import type { StorageBatch } from '../ports/storage';

import {
  boundsAfterAppend,
  boundsAfterCompact,
  EMPTY_BOUNDS,
  type LogBounds,
} from './batch';
import {
  encodeEntry,
  encodeHardState,
  encodeSnapshotMeta,
  KeyPrefix,
  numberedKey,
  singleKey,
  SNAPSHOT_CHUNK_BYTES,
} from './level-codec';

/** One LevelDB write, in the shape `db.batch()` takes. */
export type LevelOp =
  | { type: 'put'; key: Uint8Array; value: Uint8Array }
  | { type: 'del'; key: Uint8Array };

/**
 * A batch already turned into bytes. Encoding happens when `save()` is
 * called, so each entry is packed once and later changes by the caller
 * cannot reach the disk.
 */
export interface EncodedBatch {
  /** The hard state record. */
  hardState?: Uint8Array;
  /** Index of the first entry, and each entry's value in order. */
  entries?: { start: number; values: Uint8Array[] };
  /** The snapshot's metadata record, and its data in chunks. */
  snapshot?: { meta: Uint8Array; chunks: Uint8Array[] };
  /** Drop entries at or below this index. */
  compactTo?: number;
  /** Drop every stored entry before appending. */
  replaceLog?: boolean;
}

/** What the writer tracks about the disk between writes. */
export interface WriterState {
  bounds: LogBounds;
  /** Chunk records of the stored snapshot (0 when there is none). */
  snapshotChunks: number;
}

/** Encodes `batch` (the snapshot data is copied, then split in chunks). */
export function encodeBatch(
  batch: StorageBatch,
  chunkBytes = SNAPSHOT_CHUNK_BYTES,
): EncodedBatch {
  const encoded: EncodedBatch = {};
  if (batch.hardState !== undefined) {
    encoded.hardState = encodeHardState(batch.hardState);
  }
  if (batch.entries !== undefined && batch.entries.length > 0) {
    encoded.entries = {
      start: batch.entries[0]!.index,
      values: batch.entries.map(encodeEntry),
    };
  }
  if (batch.snapshot !== undefined) {
    const { meta, data } = batch.snapshot;
    const copy = new Uint8Array(data);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < copy.length; at += chunkBytes) {
      chunks.push(copy.subarray(at, at + chunkBytes));
    }
    const stored = { meta, size: copy.length, chunks: chunks.length };
    encoded.snapshot = { meta: encodeSnapshotMeta(stored), chunks };
  }
  if (batch.compactTo !== undefined) {
    encoded.compactTo = batch.compactTo;
  }
  if (batch.replaceLog) {
    encoded.replaceLog = true;
  }
  return encoded;
}

/**
 * Appends to `ops` the writes that apply `batch` to a disk in `state`, and
 * returns the state after them. Ops are ordered so that a later op on the
 * same key wins, as a LevelDB write batch applies them.
 */
export function addBatchOps(
  ops: LevelOp[],
  batch: EncodedBatch,
  state: WriterState,
): WriterState & { compacted?: [number, number] } {
  let { bounds, snapshotChunks } = state;

  if (batch.hardState !== undefined) {
    ops.push(put(singleKey(KeyPrefix.hardState), batch.hardState));
  }

  if (batch.snapshot !== undefined) {
    const { meta, chunks } = batch.snapshot;
    // the old snapshot's chunks past the new count would be orphaned
    for (let i = chunks.length; i < snapshotChunks; i++) {
      ops.push(del(numberedKey(KeyPrefix.snapshotChunk, i)));
    }
    chunks.forEach((chunk, i) => {
      ops.push(put(numberedKey(KeyPrefix.snapshotChunk, i), chunk));
    });
    ops.push(put(singleKey(KeyPrefix.snapshotMeta), meta));
    snapshotChunks = chunks.length;
  }

  if (batch.replaceLog && bounds.last !== 0) {
    deleteEntries(ops, bounds.first, bounds.last);
    bounds = EMPTY_BOUNDS;
  }

  if (batch.entries !== undefined) {
    const { start, values } = batch.entries;
    values.forEach((value, i) => {
      ops.push(put(numberedKey(KeyPrefix.entry, start + i), value));
    });
    // conflict truncation: stored entries past the new tail are replaced
    // by nothing, so they go; the range is known, no scan needed
    if (bounds.last !== 0) {
      const from = Math.max(start + values.length, bounds.first);
      deleteEntries(ops, from, bounds.last);
    }
    bounds = boundsAfterAppend(bounds, start, values.length);
  }

  // compacted entries are cleared after the batch, off the write path
  // (thousands of deletes in one synced batch stalled the node): until
  // then, a load skips what the snapshot covers
  let compacted: [number, number] | undefined;
  if (batch.compactTo !== undefined && bounds.last !== 0) {
    const to = Math.min(batch.compactTo, bounds.last);
    if (to >= bounds.first) {
      compacted = [bounds.first, to];
    }
    bounds = boundsAfterCompact(bounds, batch.compactTo);
  }

  return { bounds, snapshotChunks, compacted };
}

function deleteEntries(ops: LevelOp[], from: number, to: number): void {
  for (let index = from; index <= to; index++) {
    ops.push(del(numberedKey(KeyPrefix.entry, index)));
  }
}

function put(key: Uint8Array, value: Uint8Array): LevelOp {
  return { type: 'put', key, value };
}

function del(key: Uint8Array): LevelOp {
  return { type: 'del', key };
}
