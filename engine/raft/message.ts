import type { Entry, Message, MessageType, NodeId } from './types';

/**
 * Marks a vote request sent because the leader handed over leadership
 * (timeoutNow): it may break a follower's lease (thesis §3.10).
 */
export const CAMPAIGN_TRANSFER = 1;

/** The shared, frozen empty entry list of messages that carry none. */
export const NO_ENTRIES = Object.freeze([]) as unknown as Entry[];

/** Replies that must wait until what they vouch for is durable (§5.1). */
export const AFTER_PERSIST = new Set<MessageType>([
  'appResp',
  'heartbeatResp',
  'vote',
  'voteResp',
  'preVoteResp',
]);

/** A message with every field at its zero value. */
export function newMessage(
  type: MessageType,
  from: NodeId,
  to: NodeId,
  term: number,
): Message {
  return {
    type,
    from,
    to,
    term,
    logTerm: 0,
    index: 0,
    entries: NO_ENTRIES,
    commit: 0,
    reject: false,
    rejectHint: 0,
    hintTerm: 0,
    context: 0,
  };
}
