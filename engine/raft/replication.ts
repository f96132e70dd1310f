import type { RaftCore } from './core';
import type { Progress } from './progress';
import type { NodeId } from './types';

/**
 * Leader side of log replication (§5.3) and commitment (§5.4.2). Sending
 * is deferred to `flush`, called once per Ready, so each follower gets one
 * append carrying every new entry (up to maxSizePerMsg) rather than one
 * per proposal.
 */

/** Sends whatever each follower is due: entries, commit, read rounds. */
export function flush(r: RaftCore): void {
  if (r.state !== 'leader') {
    r.needsFlush = false;
    return;
  }
  if (r.readOnly.needsRound()) {
    // every read pending now shares one heartbeat round
    const round = r.readOnly.startRound();
    for (const id of r.members.current.voters) {
      const pr = r.progress.get(id);
      if (pr !== undefined) {
        sendHeartbeat(r, id, pr, round);
      }
    }
  }
  if (!r.needsFlush) {
    return;
  }
  r.needsFlush = false;
  for (const id of r.peerIds) {
    sendDue(r, id, r.progress.get(id)!);
  }
}

/** Sends `id` whatever it is due now. */
export function sendDue(r: RaftCore, id: NodeId, pr: Progress): void {
  const last = r.log.lastIndex();
  const committed = r.log.committed;
  if (pr.state === 'replicate') {
    while (!pr.isPaused() && pr.next <= last) {
      sendAppend(r, id, pr);
    }
    const isPoke = pr.shouldPoke && pr.match < last;
    if (!pr.isPaused() && (pr.sentCommit < committed || isPoke)) {
      sendAppend(r, id, pr);
    }
    pr.shouldPoke = false;
  } else if (pr.state === 'probe') {
    const isDue =
      pr.next <= last || pr.match < last || pr.sentCommit < committed;
    if (!pr.probeSent && isDue) {
      sendAppend(r, id, pr);
    }
  }
}

/**
 * Sends one append from `pr.next`, or starts a snapshot when the entries
 * before it are gone, or when the follower knows no membership yet.
 */
function sendAppend(r: RaftCore, id: NodeId, pr: Progress): void {
  const prev = pr.next - 1;
  const prevTerm = r.log.term(prev);
  if (prevTerm === undefined || (prev === 0 && pr.lacksBase)) {
    startSnapshot(r, id, pr);
    return;
  }

  const m = r.message('app', id);
  m.index = prev;
  m.logTerm = prevTerm;
  m.commit = r.log.committed;
  if (pr.next <= r.log.lastIndex()) {
    const { entries, bytes } = r.log.sliceBySize(pr.next, r.cfg.maxSizePerMsg);
    m.entries = entries;
    pr.sentEntries(entries[entries.length - 1]!.index, bytes);
  } else if (pr.state === 'probe') {
    pr.probeSent = true;
  }
  pr.sentCommit = m.commit;
  r.send(m);
}

/** Switches `id` to snapshot mode and sends the first chunk. */
export function startSnapshot(r: RaftCore, id: NodeId, pr: Progress): void {
  pr.becomeSnapshot(r.log.snapshot);
  r.logger.info('sending snapshot', {
    to: id,
    index: r.log.snapshot.meta.index,
    bytes: r.log.snapshot.data.byteLength,
  });
  sendSnapshotChunk(r, id, pr);
}

/** Sends the chunk at the follower's acknowledged offset. */
export function sendSnapshotChunk(r: RaftCore, id: NodeId, pr: Progress): void {
  const send = pr.snapshotSend!;
  const { meta, data } = send.snapshot;
  const end = Math.min(send.acked + r.cfg.snapshotChunkBytes, data.byteLength);
  const m = r.message('snap', id);
  m.snapshot = {
    meta,
    offset: send.acked,
    total: data.byteLength,
    data: data.subarray(send.acked, end),
  };
  send.idleTicks = 0;
  r.send(m);
}

/** Heartbeats every follower; they carry the newest read round. */
export function bcastHeartbeat(r: RaftCore): void {
  for (const id of r.peerIds) {
    sendHeartbeat(r, id, r.progress.get(id)!, r.readOnly.currentRound);
  }
}

function sendHeartbeat(
  r: RaftCore,
  id: NodeId,
  pr: Progress,
  round: number,
): void {
  const m = r.message('heartbeat', id);
  // never tell a follower to commit past what it is known to hold
  m.commit = Math.min(pr.match, r.log.committed);
  m.context = round;
  r.send(m);
}

/** Tells `to` to campaign at once (leadership transfer). */
export function sendTimeoutNow(r: RaftCore, to: NodeId): void {
  r.logger.info('handing leadership over', { to });
  r.send(r.message('timeoutNow', to));
}
