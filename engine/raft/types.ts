/**
 * Data types shared by the Raft core, storage and transport. Entry data is
 * opaque bytes from proposer to apply: the core never looks inside a
 * `normal` entry (DESIGN §3.1).
 */

/** A node's id: a positive integer, never reused within a cluster. */
export type NodeId = number;

/** No node (no vote cast, no leader known). */
export const NO_NODE: NodeId = 0;

/**
 * Every entry kind. The position of each is its code on disk and on the
 * wire: append new kinds, never reorder.
 */
export const ENTRY_TYPES = ['normal', 'config', 'leader'] as const;

/**
 * The kind of a log entry.
 * - `normal`: application data (a state-machine command).
 * - `config`: a single-server membership change ({@link ConfChange}).
 * - `leader`: the entry a leader appends when elected; its data is the
 *   leader's id as a 4-byte big-endian integer. It doubles as the
 *   `leader_elected` event.
 */
export type EntryType = (typeof ENTRY_TYPES)[number];

/** One log entry. */
export interface Entry {
  /** Position in the log, starting at 1. */
  index: number;
  /** Term of the leader that created it. */
  term: number;
  type: EntryType;
  /** Opaque payload (empty for most `leader` entries' consumers). */
  data: Uint8Array;
}

/** What must be durable before any reply that depends on it (§5.1). */
export interface HardState {
  term: number;
  /** Who this node voted for in `term`, or {@link NO_NODE}. */
  vote: NodeId;
  /** Highest index known committed (persisted so commit survives restart). */
  commit: number;
}

/** The membership of the cluster. */
export interface ConfState {
  /** Nodes that vote and count toward quorums, sorted ascending. */
  voters: NodeId[];
  /** Nodes that receive the log but do not vote, sorted ascending. */
  learners: NodeId[];
}

/** A single-server membership change, the data of a `config` entry. */
export interface ConfChange {
  type: 'addVoter' | 'addLearner' | 'promote' | 'remove';
  node: NodeId;
}

/** Identifies the state a snapshot holds. */
export interface SnapshotMeta {
  /** Last log index the snapshot covers. */
  index: number;
  /** Term of the entry at `index`. */
  term: number;
  /** Membership as of `index`. */
  conf: ConfState;
}

/** A snapshot: the serialised state machine up to `meta.index`. */
export interface Snapshot {
  meta: SnapshotMeta;
  data: Uint8Array;
}

/**
 * Every message kind the core sends or receives. The position of each is
 * its code on the wire: append new kinds, never reorder.
 */
export const MESSAGE_TYPES = [
  'app',
  'appResp',
  'heartbeat',
  'heartbeatResp',
  'preVote',
  'preVoteResp',
  'vote',
  'voteResp',
  'snap',
  'snapResp',
  'timeoutNow',
  'readIndex',
  'readIndexResp',
] as const;

/** A message kind. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

/**
 * One Raft message, flat in the etcd style: each type uses the fields it
 * needs and leaves the rest at their zero values.
 */
export interface Message {
  type: MessageType;
  from: NodeId;
  to: NodeId;
  /** Sender's term (for preVote: the term it would campaign in). */
  term: number;
  /** app: term of the entry at `index`; vote: candidate's last log term. */
  logTerm: number;
  /** app: index preceding `entries`; vote: candidate's last index; resp: match/hint. */
  index: number;
  entries: Entry[];
  /** Leader's commit index (app, heartbeat). */
  commit: number;
  /** A refusal (appResp, voteResp, preVoteResp, snapResp). */
  reject: boolean;
  /** appResp on reject: the follower's hint for fast backtracking. */
  rejectHint: number;
  /** appResp on reject: term of the follower's entry at `rejectHint`. */
  hintTerm: number;
  /** ReadIndex context, echoed by heartbeats and their responses. */
  context: number;
  /** snap: one chunk of an InstallSnapshot transfer. */
  snapshot?: SnapshotChunk;
}

/** One piece of a chunked InstallSnapshot. */
export interface SnapshotChunk {
  meta: SnapshotMeta;
  /** Byte offset of `data` in the whole snapshot. */
  offset: number;
  /** Total size of the snapshot in bytes. */
  total: number;
  data: Uint8Array;
}
