/**
 * The checks of decoding: each returns the value with its type proven, or
 * throws {@link BadFrameError} naming the field. Decoded values come from
 * msgpackr, so anything (a Map, a BigInt, a float) can sit in any slot.
 *
 * A message travels as a 13-field tuple in the order of {@link Message}'s
 * fields, with `type` as its index in {@link MESSAGE_TYPES}, the entries
 * flattened to `[index, term, type code, data, …]` and the snapshot chunk as
 * `[index, term, voters, learners, offset, total, data]` or `null`.
 */
// the wire codes are positions in ENTRY_TYPES and MESSAGE_TYPES
import {
  ENTRY_TYPES,
  MESSAGE_TYPES,
  type Entry,
  type Message,
  type NodeId,
  type SnapshotChunk,
} from '../raft/types';

import { BadFrameError } from './errors';

/** Fields per entry in a message's flattened entry list. */
export const ENTRY_FIELDS = 4;

const MESSAGE_FIELDS = 13;
const CHUNK_FIELDS = 7;

/** An array of exactly `length` items. */
export function readTuple(
  value: unknown,
  length: number,
  what: string,
): unknown[] {
  if (!Array.isArray(value) || value.length !== length) {
    throw new BadFrameError(`${what} is not a tuple of ${length} fields`);
  }
  return value;
}

/** A non-negative safe integer (terms, indexes, counts). */
export function readCount(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw new BadFrameError(`${field} is not a non-negative integer`);
  }
  return value as number;
}

/** A node id: a positive safe integer. */
export function readNodeId(value: unknown, field: string): NodeId {
  if (!Number.isSafeInteger(value) || (value as number) < 1) {
    throw new BadFrameError(`${field} is not a node id`);
  }
  return value as number;
}

/** A list of node ids. */
export function readNodeIds(value: unknown, field: string): NodeId[] {
  if (!Array.isArray(value)) {
    throw new BadFrameError(`${field} is not a list`);
  }
  for (const id of value) {
    readNodeId(id, field);
  }
  return value as NodeId[];
}

/** A boolean. */
export function readBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') {
    throw new BadFrameError(`${field} is not a boolean`);
  }
  return value;
}

/** A byte array (msgpack `bin`). */
export function readBytes(value: unknown, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new BadFrameError(`${field} is not bytes`);
  }
  return value;
}

/** A whole message, every field checked. */
export function readMessage(value: unknown): Message {
  const tuple = readTuple(value, MESSAGE_FIELDS, 'message');
  const type = MESSAGE_TYPES[readCount(tuple[0], 'type')];
  if (type === undefined) {
    throw new BadFrameError('unknown message type');
  }
  const message: Message = {
    type,
    from: readNodeId(tuple[1], 'from'),
    to: readNodeId(tuple[2], 'to'),
    term: readCount(tuple[3], 'term'),
    logTerm: readCount(tuple[4], 'logTerm'),
    index: readCount(tuple[5], 'index'),
    entries: readEntries(tuple[6]),
    commit: readCount(tuple[7], 'commit'),
    reject: readBoolean(tuple[8], 'reject'),
    rejectHint: readCount(tuple[9], 'rejectHint'),
    hintTerm: readCount(tuple[10], 'hintTerm'),
    context: readCount(tuple[11], 'context'),
  };
  if (tuple[12] !== null) {
    message.snapshot = readChunk(tuple[12]);
  }
  return message;
}

function readEntries(value: unknown): Entry[] {
  if (!Array.isArray(value) || value.length % ENTRY_FIELDS !== 0) {
    throw new BadFrameError('entries is not a list of entry fields');
  }
  const entries = new Array<Entry>(value.length / ENTRY_FIELDS);
  for (let i = 0, j = 0; j < value.length; i++, j += ENTRY_FIELDS) {
    const type = ENTRY_TYPES[readCount(value[j + 2], 'entry type')];
    if (type === undefined) {
      throw new BadFrameError('unknown entry type');
    }
    const index = readCount(value[j], 'entry index');
    if (index === 0) {
      throw new BadFrameError('entry index 0');
    }
    entries[i] = {
      index,
      term: readCount(value[j + 1], 'entry term'),
      type,
      data: readBytes(value[j + 3], 'entry data'),
    };
  }
  return entries;
}

function readChunk(value: unknown): SnapshotChunk {
  const tuple = readTuple(value, CHUNK_FIELDS, 'snapshot');
  const chunk: SnapshotChunk = {
    meta: {
      index: readCount(tuple[0], 'snapshot index'),
      term: readCount(tuple[1], 'snapshot term'),
      conf: {
        voters: readNodeIds(tuple[2], 'voters'),
        learners: readNodeIds(tuple[3], 'learners'),
      },
    },
    offset: readCount(tuple[4], 'snapshot offset'),
    total: readCount(tuple[5], 'snapshot total'),
    data: readBytes(tuple[6], 'snapshot data'),
  };
  if (chunk.offset + chunk.data.length > chunk.total) {
    throw new BadFrameError('snapshot chunk runs past the snapshot total');
  }
  return chunk;
}
