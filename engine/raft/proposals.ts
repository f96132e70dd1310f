import type { RaftCore } from './core';
import { encodeConfChange } from './entry-codec';
import {
  CompactedError,
  ConfChangeInProgressError,
  InvalidConfChangeError,
  InvalidSnapshotError,
  NotLeaderError,
  NotReadyError,
  ProposalDroppedError,
} from './errors';
import { maybeCommit } from './leader-acks';
import { applyConfChange, sameConf } from './membership';
import {
  NO_NODE,
  type ConfChange,
  type ConfState,
  type Snapshot,
  type SnapshotMeta,
} from './types';

/** What callers ask of a leader: new entries, and log compaction. */

/** Appends `data` as a normal entry; see `RaftNode.propose`. */
export function propose(
  r: RaftCore,
  data: Uint8Array,
): { index: number; term: number } {
  assertLeader(r);
  if (
    r.uncommittedBytes > 0 &&
    r.uncommittedBytes + data.byteLength > r.cfg.maxUncommittedBytes
  ) {
    throw new ProposalDroppedError('too much uncommitted data');
  }
  const index = r.appendLocal('normal', data);
  return { index, term: r.term };
}

/** Appends a membership change; see `RaftNode.proposeConfChange`. */
export function proposeConfChange(
  r: RaftCore,
  change: ConfChange,
): { index: number; term: number } {
  assertLeader(r);
  if (r.log.committed < r.termStartIndex) {
    // until then the leader cannot know which membership is committed
    // (reference/raft.md §2 bug 13)
    throw new NotReadyError();
  }
  if (r.members.lastChangeIndex > r.log.committed) {
    throw new ConfChangeInProgressError(r.members.lastChangeIndex);
  }
  const next = applyConfChange(r.members.current, change);
  if (typeof next === 'string') {
    throw new InvalidConfChangeError(next);
  }
  const index = r.appendLocal('config', encodeConfChange(change));
  // a smaller quorum may already hold more of the log
  maybeCommit(r);
  return { index, term: r.term };
}

/** Takes an application snapshot; see `RaftNode.compact`. */
export function compact(r: RaftCore, snapshot: Snapshot): void {
  const { index } = snapshot.meta;
  if (index <= r.log.snapshot.meta.index) {
    return;
  }
  if (index > r.log.applied) {
    throw new InvalidSnapshotError(
      `snapshot at ${index} is past applied ${r.log.applied}`,
    );
  }
  const expected = snapshotMeta(r, index);
  if (
    expected.term !== snapshot.meta.term ||
    !sameConf(expected.conf, snapshot.meta.conf)
  ) {
    throw new InvalidSnapshotError(
      `snapshot metadata at ${index} does not match the log`,
    );
  }
  r.log.snapshot = snapshot;
  const to = index - r.cfg.compactionTrailingEntries;
  if (to >= r.log.firstIndex()) {
    r.log.compact(to);
    r.members.compactTo(to);
  }
}

/** The metadata of a snapshot at `index`; see `RaftNode.snapshotMeta`. */
export function snapshotMeta(r: RaftCore, index: number): SnapshotMeta {
  const term = r.log.term(index);
  const conf = r.members.confAt(index);
  if (index > r.log.committed) {
    throw new InvalidSnapshotError(`index ${index} is not committed`);
  }
  if (term === undefined || conf === undefined) {
    throw new CompactedError(index, r.log.firstIndex());
  }
  return { index, term, conf: copyConf(conf) };
}

/** A copy the caller may keep or change. */
export function copyConf(conf: ConfState): ConfState {
  return { voters: [...conf.voters], learners: [...conf.learners] };
}

function assertLeader(r: RaftCore): void {
  if (r.state !== 'leader') {
    throw new NotLeaderError(r.id, r.lead);
  }
  if (r.leadTransferee !== NO_NODE) {
    // refused so the transfer target can catch up (thesis §3.10)
    throw new ProposalDroppedError(
      `leadership transfer to ${r.leadTransferee} in progress`,
    );
  }
}
