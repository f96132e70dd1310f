import type { RaftCore } from './core';
import { CAMPAIGN_TRANSFER } from './message';
import { voteResult, type VoteResult } from './quorum';
import { NO_NODE, type Message } from './types';

/** How an election starts. */
export type CampaignKind = 'preVote' | 'vote' | 'transfer';

/**
 * Follower and candidate clock: campaign when the randomized election
 * timeout passes without word from a leader (§5.2).
 */
export function tickElection(r: RaftCore): void {
  r.electionElapsed += 1;
  if (r.isPromotable() && r.electionElapsed >= r.randomizedElectionTimeout) {
    r.electionElapsed = 0;
    hup(r, false);
  }
}

/** Starts an election if this node may: pre-vote first when enabled. */
export function hup(r: RaftCore, isTransfer: boolean): void {
  if (r.state === 'leader') {
    r.logger.debug('ignored campaign: already leader');
    return;
  }
  if (!r.isPromotable()) {
    r.logger.debug('ignored campaign: not a voter');
    return;
  }
  const kind: CampaignKind = isTransfer
    ? 'transfer'
    : r.cfg.preVote
      ? 'preVote'
      : 'vote';
  campaign(r, kind);
}

function campaign(r: RaftCore, kind: CampaignKind): void {
  let voteTerm: number;
  if (kind === 'preVote') {
    r.becomePreCandidate();
    // a pre-vote asks "would you vote for me in the next term?"
    voteTerm = r.term + 1;
  } else {
    r.becomeCandidate();
    voteTerm = r.term;
  }
  if (poll(r, r.id, true) === 'won') {
    // a single voter wins at once
    win(r);
    return;
  }

  const type = kind === 'preVote' ? 'preVote' : 'vote';
  for (const id of r.members.current.voters) {
    if (id === r.id) {
      continue;
    }
    const m = r.message(type, id);
    m.term = voteTerm;
    m.index = r.log.lastIndex();
    m.logTerm = r.log.lastTerm();
    m.context = kind === 'transfer' ? CAMPAIGN_TRANSFER : 0;
    r.send(m);
  }
  r.logger.info('campaigning', { kind, term: voteTerm });
}

function win(r: RaftCore): void {
  if (r.state === 'preCandidate') {
    campaign(r, 'vote');
  } else {
    r.becomeLeader();
  }
}

function poll(r: RaftCore, from: number, granted: boolean): VoteResult {
  if (!r.votes.has(from)) {
    r.votes.set(from, granted);
  }
  return voteResult(r.members.current.voters, r.votes);
}

/**
 * Answers a vote or pre-vote request (term checks and leases were done by
 * the caller). A vote is granted at most once per term and only to a log
 * at least as up-to-date as ours (§5.2, §5.4.1). The reply carries our
 * term as it stands after the request (reference/raft.md §2 bug 21); a
 * granted pre-vote echoes the term asked about, our future term.
 */
export function handleVoteRequest(r: RaftCore, m: Message): void {
  const isPreVote = m.type === 'preVote';
  const canVote =
    r.vote === m.from ||
    (r.vote === NO_NODE && r.lead === NO_NODE) ||
    (isPreVote && m.term > r.term);
  const granted = canVote && r.log.isUpToDate(m.index, m.logTerm);

  const reply = r.message(isPreVote ? 'preVoteResp' : 'voteResp', m.from);
  if (granted) {
    reply.term = m.term;
    if (!isPreVote) {
      r.electionElapsed = 0;
      r.vote = m.from;
    }
  } else {
    reply.reject = true;
  }
  r.logger.debug(granted ? 'granted vote' : 'refused vote', {
    type: m.type,
    candidate: m.from,
    term: m.term,
  });
  r.send(reply);
}

/** Counts a (pre-)vote reply; wins or gives up when the tally decides. */
export function handleVoteResponse(r: RaftCore, m: Message): void {
  const expected = r.state === 'preCandidate' ? 'preVoteResp' : 'voteResp';
  if (m.type !== expected) {
    return;
  }
  const result = poll(r, m.from, !m.reject);
  if (result === 'won') {
    win(r);
  } else if (result === 'lost') {
    // refused by a majority: wait for a leader or the next timeout
    r.becomeFollower(r.term, NO_NODE);
  }
}
