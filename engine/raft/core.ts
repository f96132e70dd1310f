import type { ResolvedConfig } from './config';
import { encodeLeaderData } from './entry-codec';
import { EMPTY_CONF, Membership } from './membership';
import { AFTER_PERSIST, newMessage } from './message';
import { Progress } from './progress';
import { RaftLog } from './raft-log';
import type { ReadState } from './ready';
import { ReadOnly } from './read-only';
import { SnapshotReceiver } from './snapshot-receiver';
import {
  NO_NODE,
  type ConfState,
  type Entry,
  type Message,
  type MessageType,
  type NodeId,
  type Snapshot,
} from './types';
import type { Logger } from '../ports/logger';
import { randomInt } from '../ports/rng';
import type { PersistedState } from '../ports/storage';
import { BugError } from '../util/errors';

/** The protocol state of a node (a non-voting follower reports 'learner'). */
export type StateRole = 'follower' | 'preCandidate' | 'candidate' | 'leader';

/**
 * The whole state of one Raft node, shared by the modules that implement
 * its behaviour (election, replication, follower, leader). It owns the role
 * transitions (`become*`) and the outgoing queues; it never reads a clock
 * or a random source other than the injected one.
 */
export class RaftCore {
  readonly id: NodeId;
  readonly logger: Logger;
  term: number;
  vote: NodeId;
  lead: NodeId = NO_NODE;
  state: StateRole = 'follower';
  readonly log: RaftLog;
  readonly members: Membership;

  /** Leader only: one entry per other member, in `peerIds` order. */
  readonly progress = new Map<NodeId, Progress>();
  /** Leader only: the other members, ascending. */
  peerIds: NodeId[] = [];
  readonly votes = new Map<NodeId, boolean>();

  electionElapsed = 0;
  heartbeatElapsed = 0;
  randomizedElectionTimeout = 0;
  leadTransferee: NodeId = NO_NODE;
  /** Leader: index of its election entry; commits below it are inherited. */
  termStartIndex = 0;
  /**
   * Follower: the last index known to match the current leader's log. The
   * commit index never passes it (reference/raft.md §2 bug 11).
   */
  verifiedIndex = 0;
  /** Leader: data bytes appended and not yet committed. */
  uncommittedBytes = 0;

  readonly readOnly = new ReadOnly();
  /** Leader: reads waiting for the first commit of its term (bug 6). */
  waitingReads: { context: number; from: NodeId }[] = [];
  /** Follower: reads sent to the leader, with the tick they left at. */
  forwardedReads: { context: number; sentAt: number }[] = [];
  readonly receiver = new SnapshotReceiver();
  /** A snapshot installed and not yet handed out in a Ready. */
  receivedSnapshot: Snapshot | undefined;
  ticks = 0;

  readonly msgs: Message[] = [];
  readonly msgsAfterPersist: Message[] = [];
  readonly readStates: ReadState[] = [];
  readonly droppedReads: number[] = [];
  /** Leader: something may be ready to send to some follower. */
  needsFlush = false;

  constructor(
    readonly cfg: ResolvedConfig,
    persisted: PersistedState,
    initialConf: ConfState | undefined,
  ) {
    this.id = cfg.id;
    this.logger = cfg.logger;
    const snapshot: Snapshot = persisted.snapshot ?? {
      meta: { index: 0, term: 0, conf: initialConf ?? EMPTY_CONF },
      data: new Uint8Array(0),
    };
    const base = snapshot.meta.index;
    const conf = sortedConf(snapshot.meta.conf);
    const entries = persisted.entries.filter((entry) => entry.index > base);
    entries.forEach((entry, i) => {
      if (entry.index !== base + 1 + i) {
        throw new BugError(
          `persisted log has a gap: ${entry.index} after ${base + i}`,
        );
      }
    });
    this.log = new RaftLog(snapshot, entries, persisted.hardState.commit);
    this.members = new Membership(base, conf, (entry, why) =>
      this.logger.error('ignored invalid config entry', {
        index: entry.index,
        why,
      }),
    );
    this.members.onAppend(entries);
    this.term = persisted.hardState.term;
    this.vote = persisted.hardState.vote;
    this.resetRandomizedElectionTimeout();
  }

  /**
   * Whether this node may campaign: it votes in its latest membership, or
   * in the latest committed one. The second case matters when an
   * uncommitted change demotes a node that holds the only up-to-date log:
   * it must still be able to win (counting votes in its latest membership,
   * which overlaps any other candidate's) and commit that change.
   */
  isPromotable(): boolean {
    if (this.members.isVoter(this.id)) {
      return true;
    }
    const committed = this.members.confAt(this.log.committed);
    return committed?.voters.includes(this.id) ?? false;
  }

  /** Queues `m`; replies that vouch for durable state wait for persistence. */
  send(m: Message): void {
    const isGrant =
      (m.type === 'voteResp' || m.type === 'preVoteResp') && !m.reject;
    if (
      AFTER_PERSIST.has(m.type) &&
      !(isGrant && this.cfg.bugs.voteBeforeDurable)
    ) {
      this.msgsAfterPersist.push(m);
    } else {
      this.msgs.push(m);
    }
  }

  /** A message from this node at its term. */
  message(type: MessageType, to: NodeId): Message {
    return newMessage(type, this.id, to, this.term);
  }

  /** Follows `lead` (or nobody) in `term`. */
  becomeFollower(term: number, lead: NodeId): void {
    this.reset(term);
    this.state = 'follower';
    this.lead = lead;
    this.logger.debug('became follower', { term, lead });
  }

  /** Asks for pre-votes without touching term or vote. */
  becomePreCandidate(): void {
    if (this.state === 'leader') {
      throw new BugError('a leader cannot become a pre-candidate');
    }
    // neither term nor vote move until the pre-vote succeeds (thesis §9.6);
    // the known leader is forgotten so our own lease stops refusing votes
    // (tikv/raft-rs PR #84)
    this.reset(this.term);
    this.state = 'preCandidate';
    this.logger.debug('became pre-candidate', { term: this.term });
  }

  /** Starts an election in the next term, voting for itself. */
  becomeCandidate(): void {
    if (this.state === 'leader') {
      throw new BugError('a leader cannot become a candidate');
    }
    this.reset(this.term + 1);
    this.vote = this.id;
    this.state = 'candidate';
    this.logger.debug('became candidate', { term: this.term });
  }

  /** Takes leadership of the current term after winning its election. */
  becomeLeader(): void {
    if (this.state !== 'candidate') {
      throw new BugError(`a ${this.state} cannot become leader`);
    }
    this.reset(this.term);
    this.state = 'leader';
    this.lead = this.id;
    this.uncommittedBytes = 0;
    this.syncProgress();
    for (const pr of this.progress.values()) {
      pr.recentActive = false;
    }
    // the election entry commits the inherited log (§5.4.2) and is the
    // `leader_elected` event
    this.termStartIndex = this.log.lastIndex() + 1;
    this.appendLocal('leader', encodeLeaderData(this.id));
    this.logger.info('became leader', { term: this.term });
  }

  /** Appends one entry of this leader's term; returns its index. */
  appendLocal(type: Entry['type'], data: Uint8Array): number {
    const index = this.log.lastIndex() + 1;
    this.appendToLog([{ index, term: this.term, type, data }]);
    this.uncommittedBytes += data.byteLength;
    this.needsFlush = true;
    if (type === 'config') {
      this.syncProgress();
    }
    return index;
  }

  /** Appends (with conflict truncation) and tracks config entries. */
  appendToLog(entries: readonly Entry[]): void {
    if (entries.length === 0) {
      return;
    }
    this.log.append(entries);
    this.members.truncateFrom(entries[0]!.index);
    this.members.onAppend(entries);
  }

  /** Leader: one Progress per other member of the current membership. */
  syncProgress(): void {
    const conf = this.members.current;
    const ids = [...conf.voters, ...conf.learners]
      .filter((id) => id !== this.id)
      .sort((a, b) => a - b);
    const next = new Map<NodeId, Progress>();
    for (const id of ids) {
      const pr =
        this.progress.get(id) ??
        new Progress(
          this.log.lastIndex() + 1,
          this.cfg.maxInflightMsgs,
          this.cfg.maxInflightBytes,
        );
      next.set(id, pr);
    }
    this.progress.clear();
    for (const [id, pr] of next) {
      this.progress.set(id, pr);
    }
    this.peerIds = ids;
    if (this.leadTransferee !== NO_NODE && !next.has(this.leadTransferee)) {
      this.leadTransferee = NO_NODE;
    }
  }

  /** Draws the next election timeout in [electionTicks, 2 * electionTicks). */
  resetRandomizedElectionTimeout(): void {
    const base = this.cfg.electionTicks;
    this.randomizedElectionTimeout = base + randomInt(this.cfg.rng, base);
  }

  /** Sends a read's outcome to whoever asked. */
  answerRead(context: number, from: NodeId, index: number | undefined): void {
    if (from === this.id) {
      if (index === undefined) {
        this.droppedReads.push(context);
      } else {
        this.readStates.push({ context, index });
      }
      return;
    }
    const m = this.message('readIndexResp', from);
    m.context = context;
    m.index = index ?? 0;
    m.reject = index === undefined;
    this.send(m);
  }

  /**
   * Common to every role change. The vote is cleared only when the term
   * changes: a step-down within a term keeps it, or the node could vote
   * twice in one term (reference/raft.md §2 bug 4).
   */
  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = NO_NODE;
    }
    if (this.state === 'leader') {
      for (const read of this.readOnly.clear()) {
        this.answerRead(read.context, read.from, undefined);
      }
      for (const read of this.waitingReads.splice(0)) {
        this.answerRead(read.context, read.from, undefined);
      }
      this.progress.clear();
      this.peerIds = [];
    }
    for (const read of this.forwardedReads.splice(0)) {
      this.droppedReads.push(read.context);
    }
    this.lead = NO_NODE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.resetRandomizedElectionTimeout();
    this.leadTransferee = NO_NODE;
    this.votes.clear();
    this.verifiedIndex = 0;
    this.receiver.reset();
  }
}

/** A copy with ids ascending, as the rest of the core assumes. */
export function sortedConf(conf: ConfState): ConfState {
  return {
    voters: [...conf.voters].sort((a, b) => a - b),
    learners: [...conf.learners].sort((a, b) => a - b),
  };
}
