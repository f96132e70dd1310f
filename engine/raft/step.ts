import type { RaftCore } from './core';
import { CAMPAIGN_TRANSFER } from './message';
import {
  handleVoteRequest,
  handleVoteResponse,
  hup,
  tickElection,
} from './election';
import {
  handleAppend,
  handleHeartbeat,
  handleReadIndexResponse,
  handleSnapshot,
} from './follower';
import { tickLeader } from './leader';
import {
  handleAppendResponse,
  handleHeartbeatResponse,
  handleSnapshotResponse,
  serveRead,
} from './leader-acks';
import { NO_NODE, type Message, type MessageType } from './types';

/** Messages only a leader sends: receiving one tells who leads. */
const FROM_LEADER = new Set<MessageType>(['app', 'heartbeat', 'snap']);

/** Advances this node's logical clock by one tick. */
export function tick(r: RaftCore): void {
  r.ticks += 1;
  expireForwardedReads(r);
  if (r.state === 'leader') {
    tickLeader(r);
  } else {
    tickElection(r);
  }
}

// a forwarded read whose answer was lost must not wait forever
function expireForwardedReads(r: RaftCore): void {
  const deadline = r.ticks - 2 * r.cfg.electionTicks;
  while (
    r.forwardedReads.length > 0 &&
    r.forwardedReads[0]!.sentAt <= deadline
  ) {
    r.droppedReads.push(r.forwardedReads.shift()!.context);
  }
}

/**
 * Processes one message (§5.1: any message with a newer term first moves
 * this node to that term). `m` has been validated and is addressed to us.
 */
export function step(r: RaftCore, m: Message): void {
  if (m.term > r.term) {
    if (m.type === 'vote' || m.type === 'preVote') {
      const isForced = m.type === 'vote' && m.context === CAMPAIGN_TRANSFER;
      const isInLease =
        r.cfg.checkQuorum &&
        r.lead !== NO_NODE &&
        r.electionElapsed < r.cfg.electionTicks;
      if (!isForced && isInLease) {
        // leader stickiness: we heard from a live leader within the
        // election timeout, so this candidate can only disrupt it
        // (thesis §4.2.3; reference/raft.md §2 bug 14)
        r.logger.debug('ignored vote request: leader lease', {
          type: m.type,
          from: m.from,
          term: m.term,
        });
        return;
      }
    }
    if (m.type === 'preVote' || (m.type === 'preVoteResp' && !m.reject)) {
      // a pre-vote is about a future term; it moves nobody's term
    } else {
      r.logger.debug('newer term seen', { type: m.type, from: m.from });
      r.becomeFollower(m.term, FROM_LEADER.has(m.type) ? m.from : NO_NODE);
    }
  } else if (m.term < r.term) {
    stepStale(r, m);
    return;
  }

  switch (m.type) {
    case 'preVote':
    case 'vote':
      handleVoteRequest(r, m);
      return;
    case 'readIndex':
      if (r.state === 'leader') {
        serveRead(r, m.context, m.from);
      } else {
        r.answerRead(m.context, m.from, undefined);
      }
      return;
  }
  if (r.state === 'leader') {
    stepLeader(r, m);
  } else if (r.state === 'follower') {
    stepFollower(r, m);
  } else {
    stepCandidate(r, m);
  }
}

function stepStale(r: RaftCore, m: Message): void {
  if (
    (r.cfg.checkQuorum || r.cfg.preVote) &&
    (m.type === 'app' || m.type === 'heartbeat')
  ) {
    // a deposed leader may not be able to learn our term any other way
    // when votes are sticky: answer so it steps down
    r.send(r.message('appResp', m.from));
  } else if (m.type === 'preVote') {
    // tell a lagging pre-candidate our term, or it and a node of a higher
    // term may refuse each other forever (reference/raft.md §2 bug 15)
    const reply = r.message('preVoteResp', m.from);
    reply.reject = true;
    r.send(reply);
  } else {
    r.logger.debug('ignored message from an older term', {
      type: m.type,
      from: m.from,
      term: m.term,
    });
  }
}

function stepLeader(r: RaftCore, m: Message): void {
  switch (m.type) {
    case 'appResp':
      handleAppendResponse(r, m);
      return;
    case 'heartbeatResp':
      handleHeartbeatResponse(r, m);
      return;
    case 'snapResp':
      handleSnapshotResponse(r, m);
      return;
    case 'app':
    case 'heartbeat':
    case 'snap':
      r.logger.error('another leader in my term', { from: m.from });
      return;
  }
}

function stepCandidate(r: RaftCore, m: Message): void {
  switch (m.type) {
    case 'app':
    case 'heartbeat':
    case 'snap':
      // a leader won this term
      r.becomeFollower(r.term, m.from);
      stepFollower(r, m);
      return;
    case 'voteResp':
    case 'preVoteResp':
      handleVoteResponse(r, m);
      return;
  }
}

function stepFollower(r: RaftCore, m: Message): void {
  switch (m.type) {
    case 'app':
      r.electionElapsed = 0;
      r.lead = m.from;
      handleAppend(r, m);
      return;
    case 'heartbeat':
      r.electionElapsed = 0;
      r.lead = m.from;
      handleHeartbeat(r, m);
      return;
    case 'snap':
      r.electionElapsed = 0;
      r.lead = m.from;
      handleSnapshot(r, m);
      return;
    case 'timeoutNow':
      r.logger.info('campaigning on leadership transfer', { from: m.from });
      hup(r, true);
      return;
    case 'readIndexResp':
      handleReadIndexResponse(r, m);
      return;
  }
}
