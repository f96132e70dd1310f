import type {
  ConfState,
  Entry,
  HardState,
  Message,
  NodeId,
  Snapshot,
} from './types';

/** A read the caller made, to be answered in a Ready's readStates. */
export interface ReadState {
  /** The caller's context, echoed. */
  context: number;
  /** Serve the read once applied reaches this index. */
  index: number;
}

/** A node's role; `learner` is a follower outside the voters. */
export type Role =
  'follower' | 'preCandidate' | 'candidate' | 'leader' | 'learner';

/** Volatile state worth reporting when it changes. */
export interface SoftState {
  role: Role;
  leader: NodeId;
}

/**
 * Everything the core accumulated since the last `advance()`, for the
 * driver to act on in this order: send `messages` (at once), persist
 * `snapshot`, `entries` and `hardState` in one ordered write, then send
 * `messagesAfterPersist`, restore `snapshot`, apply `committedEntries`,
 * answer reads, and call `advance(ready)`.
 */
export interface Ready {
  /** Set when term, vote or commit changed: persist it. */
  hardState?: HardState;
  /**
   * Entries to persist: every stored entry from `entries[0].index` on is
   * replaced by these (conflict truncation happens in storage).
   */
  entries: Entry[];
  /**
   * A snapshot received from the leader: persist it and restore the state
   * machine from it. Storage must then replace its whole log with the
   * snapshot followed by `entries` (which re-lists any entries kept after
   * it), dropping every older stored entry.
   */
  snapshot?: Snapshot;
  /**
   * Messages that may leave before this Ready is persisted: the leader's
   * appends and heartbeats (thesis §10.2.1), requests, snapshot chunks.
   */
  messages: Message[];
  /**
   * Messages to send only once this Ready's writes are durable: votes,
   * vote requests, append and heartbeat replies (§5.1).
   */
  messagesAfterPersist: Message[];
  /**
   * Entries to apply, in order, after `snapshot` and after this Ready's
   * writes are durable (a follower may commit what it just received).
   */
  committedEntries: Entry[];
  /** Reads that may be served once applied reaches their index. */
  readStates: ReadState[];
  /** Read contexts that cannot be served here: retry them or fail them. */
  droppedReads: number[];
  /** Set when the role or the known leader changed. */
  softState?: SoftState;
}

/** Per-follower replication state, as the leader sees it. */
export interface ProgressStatus {
  match: number;
  next: number;
  state: 'probe' | 'replicate' | 'snapshot';
  recentActive: boolean;
}

/** A point-in-time view of a node, for status displays and tests. */
export interface RaftStatus {
  id: NodeId;
  role: Role;
  term: number;
  vote: NodeId;
  leader: NodeId;
  commit: number;
  applied: number;
  firstIndex: number;
  lastIndex: number;
  conf: ConfState;
  snapshotIndex: number;
  /** Leader only: every member, itself included. */
  progress?: Record<NodeId, ProgressStatus>;
}
