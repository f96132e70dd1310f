import type { RaftCore } from './core';
import { quorumIndex } from './quorum';
import {
  sendDue,
  sendSnapshotChunk,
  sendTimeoutNow,
  startSnapshot,
} from './replication';
import { NO_NODE, type Message, type NodeId } from './types';

/**
 * Leader side of the replies: acknowledgements move progress and the
 * commit index (§5.3, §5.4.2); heartbeat replies confirm read rounds;
 * snapshot replies pace a chunked transfer.
 */

/**
 * An append reply: on success progress and commit move on; on refusal
 * `next` backs off by the follower's hint.
 */
export function handleAppendResponse(r: RaftCore, m: Message): void {
  const pr = r.progress.get(m.from);
  if (pr === undefined) {
    return;
  }
  pr.recentActive = true;

  if (m.reject && m.index === 0) {
    // only a node that knows no membership refuses index 0
    pr.lacksBase = true;
    pr.becomeProbe();
    pr.next = 1;
    r.needsFlush = true;
    return;
  }
  if (m.reject) {
    // fast backtracking: skip every entry of a term the follower lacks
    const hint =
      m.hintTerm > 0
        ? r.log.findConflictByTerm(m.rejectHint, m.hintTerm).index
        : m.rejectHint;
    if (pr.maybeDecrTo(m.index, hint)) {
      if (pr.state === 'replicate') {
        pr.becomeProbe();
      }
      r.needsFlush = true;
    }
    return;
  }

  const isUpdated = pr.maybeUpdate(m.index);
  const isSnapshotDone =
    pr.state === 'snapshot' && m.index >= pr.pendingSnapshot;
  if (isUpdated || isSnapshotDone) {
    pr.lacksBase = false;
    if (pr.state === 'snapshot') {
      if (isSnapshotDone) {
        pr.becomeProbe();
        pr.becomeReplicate();
      }
    } else if (pr.state === 'probe') {
      pr.becomeReplicate();
    } else {
      pr.inflights.freeLE(m.index);
    }
    maybeCommit(r);
    r.needsFlush = true;
  }
  if (
    m.from === r.leadTransferee &&
    r.state === 'leader' &&
    pr.match === r.log.lastIndex()
  ) {
    sendTimeoutNow(r, m.from);
  }
}

/** A heartbeat reply: the follower is alive; it may confirm read rounds. */
export function handleHeartbeatResponse(r: RaftCore, m: Message): void {
  const pr = r.progress.get(m.from);
  if (pr === undefined) {
    return;
  }
  pr.recentActive = true;
  pr.probeSent = false;
  pr.shouldPoke = true;
  r.needsFlush = true;
  const voters = r.members.current.voters;
  for (const read of r.readOnly.ack(m.from, m.context, voters, r.id)) {
    r.answerRead(read.context, read.from, read.index);
  }
}

/** A chunk acknowledgement: send the next chunk, or start over. */
export function handleSnapshotResponse(r: RaftCore, m: Message): void {
  const pr = r.progress.get(m.from);
  const send = pr?.snapshotSend;
  const chunk = m.snapshot;
  if (pr === undefined || send === undefined || chunk === undefined) {
    return;
  }
  pr.recentActive = true;
  const meta = send.snapshot.meta;
  if (chunk.meta.index !== meta.index || chunk.meta.term !== meta.term) {
    return;
  }
  if (m.reject) {
    // the follower holds no part of this transfer: start it over cleanly
    // (reference/raft.md §2 bug 17)
    startSnapshot(r, m.from, pr);
    return;
  }
  const offset = chunk.offset;
  const total = send.snapshot.data.byteLength;
  if (offset === send.acked || offset < 0 || offset > total) {
    return;
  }
  send.acked = offset;
  if (offset < total) {
    sendSnapshotChunk(r, m.from, pr);
  }
}

/**
 * Advances the commit index to what a majority of voters holds, but only
 * through an entry of this leader's term (§5.4.2, Fig. 8; reference/raft.md
 * §2 bug 1). The leader's own log counts only once durable.
 */
export function maybeCommit(r: RaftCore): boolean {
  const voters = r.members.current.voters;
  const index = quorumIndex(voters, (id) =>
    id === r.id ? r.log.persisted : (r.progress.get(id)?.match ?? 0),
  );
  if (index <= r.log.committed) {
    return false;
  }
  if (!r.cfg.bugs.commitOldTermByCount && r.log.term(index) !== r.term) {
    return false;
  }

  const previous = r.log.committed;
  r.log.commitTo(index);
  for (const entry of r.log.slice(previous + 1, index + 1)) {
    r.uncommittedBytes -= entry.data.byteLength;
  }
  r.uncommittedBytes = Math.max(0, r.uncommittedBytes);
  r.needsFlush = true;
  afterCommit(r);
  return true;
}

function afterCommit(r: RaftCore): void {
  if (r.waitingReads.length > 0 && r.log.committed >= r.termStartIndex) {
    for (const read of r.waitingReads.splice(0)) {
      serveRead(r, read.context, read.from);
    }
  }
  // a leader that removed (or demoted) itself leads until that commits
  // (dissertation §4.2.2), then steps down
  if (
    !r.members.isVoter(r.id) &&
    r.log.committed >= r.members.lastChangeIndex
  ) {
    stepDownRemoved(r);
  }
}

/**
 * Steps down after our own removal committed: first tell everyone the
 * commit, and hand over to a caught-up voter so nobody waits for an
 * election timeout.
 */
function stepDownRemoved(r: RaftCore): void {
  let successor: NodeId = NO_NODE;
  for (const id of r.peerIds) {
    const pr = r.progress.get(id)!;
    sendDue(r, id, pr);
    if (
      successor === NO_NODE &&
      r.members.isVoter(id) &&
      pr.match === r.log.lastIndex()
    ) {
      successor = id;
    }
  }
  if (successor !== NO_NODE) {
    sendTimeoutNow(r, successor);
  }
  r.logger.info('stepping down: no longer a voter');
  r.becomeFollower(r.term, NO_NODE);
}

/**
 * Leader: takes a linearizable read (thesis §6.4). It waits for the first
 * commit of this term, since only then is the commit index known to be
 * the cluster's (reference/raft.md §2 bugs 6 and 8).
 */
export function serveRead(r: RaftCore, context: number, from: NodeId): void {
  if (r.log.committed < r.termStartIndex) {
    r.waitingReads.push({ context, from });
    return;
  }
  r.readOnly.add({ context, from, index: r.log.committed });
  const voters = r.members.current.voters;
  for (const read of r.readOnly.releaseIfAlone(voters, r.id)) {
    r.answerRead(read.context, read.from, read.index);
  }
}
