import { quorumIndex } from './quorum';
import type { NodeId } from './types';

/** A linearizable read waiting for the leader to confirm its leadership. */
export interface PendingRead {
  /** The caller's context (any number; duplicates are fine). */
  context: number;
  /** Who asked: the leader itself or a follower that forwarded it. */
  from: NodeId;
  /** The commit index when the read arrived: the read is served at it. */
  index: number;
  /** The heartbeat round that confirms it (0: no round started yet). */
  round: number;
}

/**
 * ReadIndex bookkeeping on the leader (thesis §6.4). Every read pending
 * when a round starts shares that round: one heartbeat to each voter.
 *
 * Rounds are numbers the leader picks, increasing, and heartbeats echo
 * them. A voter's ack of round r proves leadership at a time after every
 * read of round r or earlier arrived, so it confirms all of them — and
 * nothing newer. A late or duplicated ack therefore never confirms a read
 * that arrived after its heartbeat left, whatever contexts callers reuse
 * (reference/raft.md §2 bug 7).
 */
export class ReadOnly {
  private readonly queue: PendingRead[] = [];
  private readonly acks = new Map<NodeId, number>();
  private lastRound = 0;
  private unassigned = 0;

  /** The newest round started; every heartbeat carries it. */
  get currentRound(): number {
    return this.lastRound;
  }

  get pendingCount(): number {
    return this.queue.length;
  }

  /** Queues a read until a heartbeat round confirms it. */
  add(read: Omit<PendingRead, 'round'>): void {
    this.queue.push({ ...read, round: 0 });
    this.unassigned += 1;
  }

  /** Whether reads wait for a round to start. */
  needsRound(): boolean {
    return this.unassigned > 0;
  }

  /** Starts a round covering every read not yet in one; returns its id. */
  startRound(): number {
    this.lastRound += 1;
    for (
      let i = this.queue.length - this.unassigned;
      i < this.queue.length;
      i++
    ) {
      this.queue[i]!.round = this.lastRound;
    }
    this.unassigned = 0;
    return this.lastRound;
  }

  /**
   * Records that `from` acknowledged a heartbeat of `round`, then returns
   * the reads a quorum of `voters` has now confirmed (`self` counts as
   * having acknowledged every round).
   */
  ack(
    from: NodeId,
    round: number,
    voters: readonly NodeId[],
    self: NodeId,
  ): PendingRead[] {
    if (round <= 0 || round > this.lastRound) {
      return [];
    }
    if ((this.acks.get(from) ?? 0) < round) {
      this.acks.set(from, round);
    }
    const confirmed = quorumIndex(voters, (id) =>
      id === self ? this.lastRound : (this.acks.get(id) ?? 0),
    );
    return this.releaseThrough(confirmed);
  }

  /** Reads confirmed by a quorum of `voters` without any ack (one voter). */
  releaseIfAlone(voters: readonly NodeId[], self: NodeId): PendingRead[] {
    if (voters.length === 1 && voters[0] === self) {
      if (this.needsRound()) {
        this.startRound();
      }
      return this.releaseThrough(this.lastRound);
    }
    return [];
  }

  /** Removes and returns every pending read (leadership is lost). */
  clear(): PendingRead[] {
    const all = this.queue.splice(0);
    this.acks.clear();
    this.unassigned = 0;
    return all;
  }

  private releaseThrough(round: number): PendingRead[] {
    let n = 0;
    while (n < this.queue.length) {
      const read = this.queue[n]!;
      if (read.round === 0 || read.round > round) {
        break;
      }
      n += 1;
    }
    return n === 0 ? [] : this.queue.splice(0, n);
  }
}
