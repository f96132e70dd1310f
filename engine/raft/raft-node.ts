import { resolveConfig, type RaftConfig } from './config';
import {
  compact,
  copyConf,
  propose,
  proposeConfChange,
  snapshotMeta,
} from './proposals';
import type {
  ProgressStatus,
  RaftStatus,
  Ready,
  Role,
  SoftState,
} from './ready';
import { RaftCore } from './core';
import { hup } from './election';
import { transferLeadership } from './leader';
import { maybeCommit, serveRead } from './leader-acks';
import { flush } from './replication';
import { step, tick } from './step';
import {
  NO_NODE,
  type ConfChange,
  type HardState,
  type Message,
  type NodeId,
  type Snapshot,
  type SnapshotMeta,
} from './types';
import { checkMessage } from './validate';
import type { PersistedState } from '../ports/storage';

/** Configuration of a node (see config.ts). */
export type { RaftConfig, TestingBugs } from './config';
/** The shapes a node hands out (see ready.ts). */
export type {
  ProgressStatus,
  RaftStatus,
  ReadState,
  Ready,
  Role,
  SoftState,
} from './ready';

/**
 * One Raft node as a pure, synchronous state machine (etcd-io/raft's
 * shape). Time is `tick()`; randomness is the injected Rng; all output is
 * collected into a {@link Ready}. See DESIGN §3.1 and reference/raft.md.
 */
export class RaftNode {
  private readonly r: RaftCore;
  private prevHardState: HardState;
  private prevSoftState: SoftState;

  /**
   * @param config - behaviour and tuning
   * @param persisted - what storage kept (empty for a new node)
   */
  constructor(config: RaftConfig, persisted: PersistedState) {
    this.r = new RaftCore(resolveConfig(config), persisted, config.initialConf);
    this.prevHardState = this.hardState();
    this.prevSoftState = this.softState();
  }

  /** Advances the logical clock by one tick. */
  tick(): void {
    tick(this.r);
  }

  /**
   * Handles a message from a peer. Messages for another node or that are
   * malformed are logged and dropped; this never throws on bad input.
   */
  step(message: Message): void {
    const r = this.r;
    const problem = checkMessage(message);
    if (problem !== undefined) {
      r.logger.warn('dropped malformed message', { problem });
      return;
    }
    if (message.to !== r.id) {
      r.logger.warn('dropped message for another node', {
        to: message.to,
        from: message.from,
      });
      return;
    }
    step(r, message);
  }

  /**
   * Appends `data` as a new entry (leader only); it commits later, or is
   * replaced by another leader's entry. Throws NOT_LEADER or
   * PROPOSAL_DROPPED.
   */
  propose(data: Uint8Array): { index: number; term: number } {
    return propose(this.r, data);
  }

  /**
   * Appends a single-server membership change. It takes effect as soon as
   * it is appended (dissertation §4.1); only one may be uncommitted, and
   * only once the leader committed an entry of its own term (bug 13).
   */
  proposeConfChange(change: ConfChange): { index: number; term: number } {
    return proposeConfChange(this.r, change);
  }

  /**
   * Requests a linearizable read. Its answer arrives in a later Ready: in
   * `readStates` (serve once applied reaches the index) or in
   * `droppedReads` (no leader, leadership lost, timed out).
   */
  readIndex(context: number): void {
    const r = this.r;
    if (r.state === 'leader') {
      serveRead(r, context, r.id);
    } else if (r.lead === NO_NODE) {
      r.droppedReads.push(context);
    } else {
      const m = r.message('readIndex', r.lead);
      m.context = context;
      r.send(m);
      r.forwardedReads.push({ context, sentAt: r.ticks });
    }
  }

  /** Hands leadership to voter `to`; throws NOT_LEADER or INVALID_TRANSFER. */
  transferLeadership(to: NodeId): void {
    transferLeadership(this.r, to);
  }

  /** Starts an election now (with a pre-vote when enabled). */
  campaign(): void {
    hup(this.r, false);
  }

  /**
   * Takes a snapshot the application made at `meta.index` (at or below
   * applied): it is sent to followers that lack the log, and the log is
   * dropped up to that index, less `compactionTrailingEntries`. The
   * application persists the snapshot itself. Its metadata must match
   * {@link RaftNode.snapshotMeta}; throws INVALID_SNAPSHOT otherwise.
   */
  compact(snapshot: Snapshot): void {
    compact(this.r, snapshot);
  }

  /**
   * The metadata a snapshot at `index` (committed, still in the log) must
   * carry: the term there and the membership as of that index.
   */
  snapshotMeta(index: number): SnapshotMeta {
    return snapshotMeta(this.r, index);
  }

  /** Whether `ready()` has anything to hand out. */
  hasReady(): boolean {
    const r = this.r;
    flush(r);
    return (
      r.msgs.length > 0 ||
      r.msgsAfterPersist.length > 0 ||
      r.log.hasUnstable() ||
      r.receivedSnapshot !== undefined ||
      r.log.committed > this.appliedFloor() ||
      r.readStates.length > 0 ||
      r.droppedReads.length > 0 ||
      !sameHardState(this.hardState(), this.prevHardState) ||
      !sameSoftState(this.softState(), this.prevSoftState)
    );
  }

  /** Everything accumulated since the last `advance()`. */
  ready(): Ready {
    const r = this.r;
    flush(r);
    const ready: Ready = {
      entries: r.log.unstableEntries(),
      messages: r.msgs.slice(),
      messagesAfterPersist: r.msgsAfterPersist.slice(),
      committedEntries: r.log.committedAfter(this.appliedFloor()),
      readStates: r.readStates.slice(),
      droppedReads: r.droppedReads.slice(),
    };
    const hardState = this.hardState();
    if (!sameHardState(hardState, this.prevHardState)) {
      ready.hardState = hardState;
    }
    const softState = this.softState();
    if (!sameSoftState(softState, this.prevSoftState)) {
      ready.softState = softState;
    }
    if (r.receivedSnapshot !== undefined) {
      ready.snapshot = r.receivedSnapshot;
    }
    return ready;
  }

  /**
   * Records that `ready` was handled: its writes are durable and its
   * committed entries applied. The leader counts its own log as matched
   * only now.
   */
  advance(ready: Ready): void {
    const r = this.r;
    if (ready.hardState !== undefined) {
      this.prevHardState = ready.hardState;
    }
    if (ready.softState !== undefined) {
      this.prevSoftState = ready.softState;
    }
    if (ready.snapshot !== undefined) {
      if (r.receivedSnapshot === ready.snapshot) {
        r.receivedSnapshot = undefined;
      }
      r.log.applied = Math.max(r.log.applied, ready.snapshot.meta.index);
    }
    const lastEntry = ready.entries[ready.entries.length - 1];
    if (lastEntry !== undefined) {
      r.log.stableTo(lastEntry.index, lastEntry.term);
    }
    const lastApplied =
      ready.committedEntries[ready.committedEntries.length - 1];
    if (lastApplied !== undefined) {
      r.log.applied = Math.max(r.log.applied, lastApplied.index);
    }
    r.msgs.splice(0, ready.messages.length);
    r.msgsAfterPersist.splice(0, ready.messagesAfterPersist.length);
    r.readStates.splice(0, ready.readStates.length);
    r.droppedReads.splice(0, ready.droppedReads.length);
    if (r.state === 'leader' && lastEntry !== undefined) {
      maybeCommit(r);
    }
  }

  /** A snapshot of this node's state. */
  status(): RaftStatus {
    const r = this.r;
    const status: RaftStatus = {
      id: r.id,
      role: this.role(),
      term: r.term,
      vote: r.vote,
      leader: r.lead,
      commit: r.log.committed,
      applied: r.log.applied,
      firstIndex: r.log.firstIndex(),
      lastIndex: r.log.lastIndex(),
      conf: copyConf(r.members.current),
      snapshotIndex: r.log.snapshot.meta.index,
    };
    if (r.state === 'leader') {
      const progress: Record<NodeId, ProgressStatus> = {};
      if (
        r.members.current.voters.includes(r.id) ||
        r.members.current.learners.includes(r.id)
      ) {
        progress[r.id] = {
          match: r.log.persisted,
          next: r.log.lastIndex() + 1,
          state: 'replicate',
          recentActive: true,
        };
      }
      for (const [id, pr] of r.progress) {
        progress[id] = {
          match: pr.match,
          next: pr.next,
          state: pr.state,
          recentActive: pr.recentActive,
        };
      }
      status.progress = progress;
    }
    return status;
  }

  private role(): Role {
    const r = this.r;
    if (r.state === 'follower' && !r.members.isVoter(r.id)) {
      return 'learner';
    }
    return r.state;
  }

  private hardState(): HardState {
    const r = this.r;
    return { term: r.term, vote: r.vote, commit: r.log.committed };
  }

  private softState(): SoftState {
    return { role: this.role(), leader: this.r.lead };
  }

  /** Entries at or below this are applied or covered by a snapshot. */
  private appliedFloor(): number {
    const r = this.r;
    return Math.max(r.log.applied, r.receivedSnapshot?.meta.index ?? 0);
  }
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.role === b.role && a.leader === b.leader;
}
