import { Packr } from 'msgpackr';

import {
  ENTRY_TYPES,
  type Entry,
  type EntryType,
  type HardState,
  type SnapshotMeta,
} from '../raft/types';

import { StorageCorruptError } from './errors';

/**
 * The on-disk format LevelStorage reads and writes. Bump it whenever a key
 * or value layout changes; a build refuses versions it does not know.
 */
export const FORMAT_VERSION = 1;

/** Size of one stored snapshot chunk (one LevelDB value). */
export const SNAPSHOT_CHUNK_BYTES = 1024 * 1024;

/**
 * The first byte of every key: one per record kind. Log and chunk keys add
 * an 8-byte big-endian number so LevelDB's byte order is numeric order.
 */
export const KeyPrefix = {
  format: 0x01,
  hardState: 0x02,
  entry: 0x03,
  snapshotMeta: 0x04,
  snapshotChunk: 0x05,
} as const;

const TYPE_CODES: Record<EntryType, number> = {
  normal: 0,
  config: 1,
  leader: 2,
};

// plain arrays and maps only: msgpackr's record extension would make the
// bytes depend on what else the process packed before
const packr = new Packr({ useRecords: false });

/** The key of a record kind that has a single record. */
export function singleKey(prefix: number): Uint8Array {
  return Uint8Array.of(prefix);
}

/** A key of `prefix` followed by `n` as 8 bytes, big-endian. */
export function numberedKey(prefix: number, n: number): Uint8Array {
  const key = new Uint8Array(9);
  const view = new DataView(key.buffer);
  key[0] = prefix;
  view.setUint32(1, Math.floor(n / 0x1_0000_0000));
  view.setUint32(5, n >>> 0);
  return key;
}

/** The number in a key made by {@link numberedKey}. */
export function keyNumber(key: Uint8Array): number {
  const view = new DataView(key.buffer, key.byteOffset, key.byteLength);
  return view.getUint32(1) * 0x1_0000_0000 + view.getUint32(5);
}

/** Encodes the format version record. */
export function encodeFormat(version: number): Uint8Array {
  return packr.pack(version);
}

/** Decodes the format version record, whatever a build wrote there. */
export function decodeFormat(value: Uint8Array): unknown {
  try {
    return packr.unpack(value);
  } catch {
    return 'unreadable';
  }
}

/** Encodes one entry's value (its index lives in the key). */
export function encodeEntry(entry: Entry): Uint8Array {
  return packr.pack([
    FORMAT_VERSION,
    entry.term,
    TYPE_CODES[entry.type],
    entry.data,
  ]);
}

/** Decodes an entry stored at `index`. */
export function decodeEntry(index: number, value: Uint8Array): Entry {
  const [, term, code, data] = unpackRecord(value, 4, `entry ${index}`);
  const type = ENTRY_TYPES[code as number];
  if (type === undefined || !(data instanceof Uint8Array)) {
    throw new StorageCorruptError(`entry ${index} is malformed`);
  }
  // copied: the decoded bytes are a view into LevelDB's value buffer
  return { index, term: term as number, type, data: new Uint8Array(data) };
}

/** Encodes the hard state record. */
export function encodeHardState(state: HardState): Uint8Array {
  return packr.pack([FORMAT_VERSION, state.term, state.vote, state.commit]);
}

/** Decodes the hard state record. */
export function decodeHardState(value: Uint8Array): HardState {
  const [, term, vote, commit] = unpackRecord(value, 4, 'hard state');
  return {
    term: term as number,
    vote: vote as number,
    commit: commit as number,
  };
}

/** What the snapshot metadata record holds. */
export interface StoredSnapshotMeta {
  meta: SnapshotMeta;
  /** Total size of the snapshot data in bytes. */
  size: number;
  /** Number of chunk records holding the data. */
  chunks: number;
}

/** Encodes the snapshot metadata record. */
export function encodeSnapshotMeta(stored: StoredSnapshotMeta): Uint8Array {
  const { meta } = stored;
  return packr.pack([
    FORMAT_VERSION,
    meta.index,
    meta.term,
    meta.conf.voters,
    meta.conf.learners,
    stored.size,
    stored.chunks,
  ]);
}

/** Decodes the snapshot metadata record. */
export function decodeSnapshotMeta(value: Uint8Array): StoredSnapshotMeta {
  const [, index, term, voters, learners, size, chunks] = unpackRecord(
    value,
    7,
    'snapshot metadata',
  );
  return {
    meta: {
      index: index as number,
      term: term as number,
      conf: {
        voters: [...(voters as number[])],
        learners: [...(learners as number[])],
      },
    },
    size: size as number,
    chunks: chunks as number,
  };
}

/**
 * Thrown by the decoders when a record carries a version this build does
 * not read; the store turns it into an UnsupportedFormatError.
 */
export class RecordVersionError extends Error {
  constructor(
    readonly what: string,
    readonly found: unknown,
  ) {
    super(`${what} has format version ${String(found)}`);
    this.name = 'RecordVersionError';
  }
}

function unpackRecord(
  value: Uint8Array,
  length: number,
  what: string,
): unknown[] {
  let record: unknown;
  try {
    record = packr.unpack(value);
  } catch (error) {
    throw new StorageCorruptError(`${what} cannot be decoded`, {
      cause: error,
    });
  }
  if (!Array.isArray(record) || record.length < 1) {
    throw new StorageCorruptError(`${what} is malformed`);
  }
  if (record[0] !== FORMAT_VERSION) {
    throw new RecordVersionError(what, record[0]);
  }
  if (record.length !== length) {
    throw new StorageCorruptError(`${what} is malformed`);
  }
  return record;
}
