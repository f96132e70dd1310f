import { Packr } from 'msgpackr';

import {
  ENTRY_TYPES,
  MESSAGE_TYPES,
  type Entry,
  type Message,
  type NodeId,
  type SnapshotChunk,
} from '../raft/types';
import { BugError } from '../util/errors';

import { BadFrameError } from './errors';
import {
  ENTRY_FIELDS,
  readCount,
  readMessage,
  readNodeId,
  readTuple,
} from './codec-read';

/** The wire format's version; a peer speaking another one is refused. */
export const PROTOCOL_VERSION = 1;

/** Bytes in a frame header: the body length as a big-endian uint32. */
export const FRAME_HEADER_BYTES = 4;

/** The largest frame body a receiver accepts unless told otherwise. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** The first frame on every connection: who is calling, from which cluster. */
export interface Hello {
  /** The sender's {@link PROTOCOL_VERSION}. */
  version: number;
  /** The cluster the sender belongs to; other clusters are refused. */
  clusterId: string;
  /** The sender's node id. */
  from: NodeId;
}

// One shared Packr: it appends into a reusable output buffer, so packing
// allocates only when that buffer runs out. Records, structured clones and
// extra types stay off because the wire carries only tuples, numbers,
// booleans, strings and byte arrays. copyBuffers gives every decoded byte
// array its own memory, so an entry kept in the log does not pin a whole
// socket chunk.
const packr = new Packr({
  useRecords: false,
  structuredClone: false,
  moreTypes: false,
  copyBuffers: true,
  int64AsType: 'number',
});

const MESSAGE_CODES = new Map(MESSAGE_TYPES.map((type, code) => [type, code]));
const ENTRY_CODES = new Map(ENTRY_TYPES.map((type, code) => [type, code]));

const HELLO_MAGIC = 'aspen-raft';
const MAX_CLUSTER_ID_LENGTH = 256;

/** Encodes one message as a MessagePack tuple. */
export function encodeMessage(message: Message): Uint8Array {
  return packr.pack(messageTuple(message));
}

/** Encodes several messages as one MessagePack array, in order. */
export function encodeBatch(messages: readonly Message[]): Uint8Array {
  const tuples = new Array<unknown[]>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    tuples[i] = messageTuple(messages[i] as Message);
  }
  return packr.pack(tuples);
}

/**
 * Decodes what {@link encodeMessage} wrote.
 *
 * @throws {@link BadFrameError} when the bytes are not exactly one valid
 * message; no partly checked object is ever returned.
 */
export function decodeMessage(bytes: Uint8Array): Message {
  return readMessage(unpack(bytes));
}

/**
 * Decodes what {@link encodeBatch} wrote.
 *
 * @throws {@link BadFrameError} when any message in it is invalid.
 */
export function decodeBatch(bytes: Uint8Array): Message[] {
  const value = unpack(bytes);
  if (!Array.isArray(value)) {
    throw new BadFrameError('a batch must be an array of messages');
  }
  const messages = new Array<Message>(value.length);
  for (let i = 0; i < value.length; i++) {
    try {
      messages[i] = readMessage(value[i]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BadFrameError(`message ${i}: ${reason}`, { cause: error });
    }
  }
  return messages;
}

/** Encodes the handshake frame body. */
export function encodeHello(hello: Hello): Uint8Array {
  return packr.pack([HELLO_MAGIC, hello.version, hello.clusterId, hello.from]);
}

/**
 * Decodes a handshake body. The version is only type-checked here; whether
 * it is supported is the transport's call.
 *
 * @throws {@link BadFrameError} when the bytes are not a handshake.
 */
export function decodeHello(bytes: Uint8Array): Hello {
  const tuple = readTuple(unpack(bytes), 4, 'hello');
  if (tuple[0] !== HELLO_MAGIC) {
    throw new BadFrameError('not a handshake');
  }
  const clusterId = tuple[2];
  if (
    typeof clusterId !== 'string' ||
    clusterId.length === 0 ||
    clusterId.length > MAX_CLUSTER_ID_LENGTH
  ) {
    throw new BadFrameError('hello: clusterId is not a short string');
  }
  return {
    version: readCount(tuple[1], 'version'),
    clusterId,
    from: readNodeId(tuple[3], 'from'),
  };
}

/**
 * Prefixes each body with its length and joins them into one buffer, so a
 * whole flush goes to the socket as a single write.
 */
export function encodeFrames(bodies: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const body of bodies) {
    total += FRAME_HEADER_BYTES + body.length;
  }
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  for (const body of bodies) {
    out.writeUInt32BE(body.length, offset);
    out.set(body, offset + FRAME_HEADER_BYTES);
    offset += FRAME_HEADER_BYTES + body.length;
  }
  return out;
}

function messageTuple(message: Message): unknown[] {
  const code = MESSAGE_CODES.get(message.type);
  if (code === undefined) {
    throw new BugError(`cannot encode message type ${message.type}`);
  }
  const source = message.entries;
  const entries = new Array<unknown>(source.length * ENTRY_FIELDS);
  for (let i = 0, j = 0; i < source.length; i++, j += ENTRY_FIELDS) {
    const entry = source[i] as Entry;
    const entryCode = ENTRY_CODES.get(entry.type);
    if (entryCode === undefined || !(entry.data instanceof Uint8Array)) {
      throw new BugError(`cannot encode entry ${entry.index}`);
    }
    entries[j] = entry.index;
    entries[j + 1] = entry.term;
    entries[j + 2] = entryCode;
    entries[j + 3] = entry.data;
  }
  const chunk = message.snapshot;
  return [
    code,
    message.from,
    message.to,
    message.term,
    message.logTerm,
    message.index,
    entries,
    message.commit,
    message.reject,
    message.rejectHint,
    message.hintTerm,
    message.context,
    chunk === undefined ? null : chunkTuple(chunk),
  ];
}

function chunkTuple(chunk: SnapshotChunk): unknown[] {
  const { meta } = chunk;
  return [
    meta.index,
    meta.term,
    meta.conf.voters,
    meta.conf.learners,
    chunk.offset,
    chunk.total,
    chunk.data,
  ];
}

function unpack(bytes: Uint8Array): unknown {
  // A fresh plain view: msgpackr caches a DataView on its input, and bin
  // values copied out of a plain Uint8Array are plain Uint8Arrays too.
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  try {
    return packr.unpack(view);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BadFrameError(`not MessagePack: ${reason}`, { cause: error });
  }
}
