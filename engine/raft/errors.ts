import type { NodeId } from './types';
import { AspenError } from '../util/errors';

/**
 * Thrown by a call that only a leader may serve. `leader` is the leader
 * this node knows of, or 0 when it knows none, so a caller can redirect.
 */
export class NotLeaderError extends AspenError {
  /** The leader this node knows of (0: none). */
  readonly leader: NodeId;

  constructor(id: NodeId, leader: NodeId) {
    super('NOT_LEADER', `node ${id} is not the leader (leader: ${leader})`);
    this.name = 'NotLeaderError';
    this.leader = leader;
  }
}

/** A proposal certainly not appended: it will never commit. */
export class ProposalDroppedError extends AspenError {
  constructor(reason: string) {
    super('PROPOSAL_DROPPED', `proposal dropped: ${reason}`);
    this.name = 'ProposalDroppedError';
  }
}

/** A membership change is already in the log and not yet committed. */
export class ConfChangeInProgressError extends AspenError {
  constructor(pendingIndex: number) {
    super(
      'CONF_CHANGE_IN_PROGRESS',
      `the membership change at index ${pendingIndex} is not committed yet`,
    );
    this.name = 'ConfChangeInProgressError';
  }
}

/**
 * The leader has not yet committed an entry of its own term, so it cannot
 * yet know which membership is committed (reference/raft.md §2 bug 13).
 */
export class NotReadyError extends AspenError {
  constructor() {
    super(
      'NOT_READY',
      'the leader has not committed an entry of its term yet; retry shortly',
    );
    this.name = 'NotReadyError';
  }
}

/** A membership change that makes no sense for the current membership. */
export class InvalidConfChangeError extends AspenError {
  constructor(reason: string) {
    super('INVALID_CONF_CHANGE', reason);
    this.name = 'InvalidConfChangeError';
  }
}

/** A leadership transfer to a node that cannot take it. */
export class InvalidTransferError extends AspenError {
  constructor(reason: string) {
    super('INVALID_TRANSFER', reason);
    this.name = 'InvalidTransferError';
  }
}

/** A snapshot handed to `compact()` that does not match the log. */
export class InvalidSnapshotError extends AspenError {
  constructor(reason: string) {
    super('INVALID_SNAPSHOT', reason);
    this.name = 'InvalidSnapshotError';
  }
}

/** Asked about log positions already folded into a snapshot. */
export class CompactedError extends AspenError {
  constructor(index: number, firstIndex: number) {
    super(
      'COMPACTED',
      `index ${index} is compacted (the log starts at ${firstIndex})`,
    );
    this.name = 'CompactedError';
  }
}

/** A Raft configuration value out of range. */
export class InvalidRaftConfigError extends AspenError {
  constructor(reason: string) {
    super('INVALID_CONFIG', `raft config: ${reason}`);
    this.name = 'InvalidRaftConfigError';
  }
}
