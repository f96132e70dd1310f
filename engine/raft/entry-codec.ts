import type { ConfChange, NodeId } from './types';

/**
 * Byte layouts of the entry kinds the core itself writes and reads:
 * `leader` entries (the elected leader's id) and `config` entries (one
 * {@link ConfChange}). Both are small and fixed-size, big-endian.
 */

const CHANGE_CODES: Record<ConfChange['type'], number> = {
  addVoter: 1,
  addLearner: 2,
  promote: 3,
  remove: 4,
};

const CHANGE_TYPES: Record<number, ConfChange['type']> = {
  1: 'addVoter',
  2: 'addLearner',
  3: 'promote',
  4: 'remove',
};

/** Whether `id` can name a node: an integer in [1, 2^32). */
export function isNodeId(id: unknown): id is NodeId {
  return Number.isInteger(id) && (id as number) > 0 && (id as number) < 2 ** 32;
}

/** The data of a `leader` entry: the leader's id as 4 big-endian bytes. */
export function encodeLeaderData(id: NodeId): Uint8Array {
  const data = new Uint8Array(4);
  new DataView(data.buffer).setUint32(0, id);
  return data;
}

/** The leader id in a `leader` entry's data, or 0 when malformed. */
export function decodeLeaderData(data: Uint8Array): NodeId {
  if (data.byteLength !== 4) {
    return 0;
  }
  return new DataView(data.buffer, data.byteOffset, 4).getUint32(0);
}

/** The data of a `config` entry: a type byte, then the node id. */
export function encodeConfChange(change: ConfChange): Uint8Array {
  const data = new Uint8Array(5);
  const view = new DataView(data.buffer);
  view.setUint8(0, CHANGE_CODES[change.type]);
  view.setUint32(1, change.node);
  return data;
}

/** The change in a `config` entry's data, or undefined when malformed. */
export function decodeConfChange(data: Uint8Array): ConfChange | undefined {
  if (data.byteLength !== 5) {
    return undefined;
  }
  const view = new DataView(data.buffer, data.byteOffset, 5);
  const type = CHANGE_TYPES[view.getUint8(0)];
  const node = view.getUint32(1);
  if (type === undefined || !isNodeId(node)) {
    return undefined;
  }
  return { type, node };
}
