import type { RaftCore } from './core';
import { InvalidTransferError, NotLeaderError } from './errors';
import { hasQuorum } from './quorum';
import {
  bcastHeartbeat,
  sendSnapshotChunk,
  sendTimeoutNow,
} from './replication';
import { NO_NODE, type NodeId } from './types';

/**
 * Leader clock: heartbeats, check-quorum, transfer timeout and the
 * retransmission timers that stand in for a transport's "unreachable"
 * reports (a lost append or snapshot chunk is re-sent, never waited for
 * forever).
 */
export function tickLeader(r: RaftCore): void {
  r.electionElapsed += 1;
  r.heartbeatElapsed += 1;
  const electionTicks = r.cfg.electionTicks;

  if (r.electionElapsed >= electionTicks) {
    r.electionElapsed = 0;
    if (r.cfg.checkQuorum && !checkQuorumActive(r)) {
      // a leader cut off from a majority steps down rather than serve
      // stale reads or hold on to clients (thesis §6.2); its vote stays
      r.logger.warn('stepping down: no quorum heard within election timeout');
      r.becomeFollower(r.term, NO_NODE);
      return;
    }
    if (r.leadTransferee !== NO_NODE) {
      r.logger.warn('leadership transfer timed out', {
        to: r.leadTransferee,
      });
      r.leadTransferee = NO_NODE;
    }
  }

  for (const id of r.peerIds) {
    const pr = r.progress.get(id)!;
    if (pr.state === 'snapshot' && pr.snapshotSend !== undefined) {
      pr.snapshotSend.idleTicks += 1;
      if (pr.snapshotSend.idleTicks >= electionTicks) {
        sendSnapshotChunk(r, id, pr);
      }
    } else if (pr.state === 'replicate' && pr.inflights.size > 0) {
      pr.stallTicks += 1;
      if (pr.stallTicks >= 2 * electionTicks) {
        // acks stopped: something was lost; probe from the last match
        pr.becomeProbe();
        r.needsFlush = true;
      }
    }
  }

  if (r.heartbeatElapsed >= r.cfg.heartbeatTicks) {
    r.heartbeatElapsed = 0;
    bcastHeartbeat(r);
  }
}

function checkQuorumActive(r: RaftCore): boolean {
  const isActive = hasQuorum(
    r.members.current.voters,
    (id) => id === r.id || (r.progress.get(id)?.recentActive ?? false),
  );
  for (const pr of r.progress.values()) {
    pr.recentActive = false;
  }
  return isActive;
}

/**
 * Hands leadership to `to` (thesis §3.10): once its log matches ours it
 * gets timeoutNow and campaigns at once. Proposals are refused meanwhile;
 * the transfer gives up after an election timeout.
 */
export function transferLeadership(r: RaftCore, to: NodeId): void {
  if (r.state !== 'leader') {
    throw new NotLeaderError(r.id, r.lead);
  }
  if (to === r.id) {
    throw new InvalidTransferError(`node ${to} is already the leader`);
  }
  const pr = r.progress.get(to);
  if (pr === undefined || !r.members.isVoter(to)) {
    throw new InvalidTransferError(`node ${to} is not a voter`);
  }
  if (r.leadTransferee === to) {
    return;
  }
  r.leadTransferee = to;
  r.electionElapsed = 0;
  r.logger.info('transferring leadership', { to });
  if (pr.match === r.log.lastIndex()) {
    sendTimeoutNow(r, to);
  } else {
    r.needsFlush = true;
  }
}
