import { Inflights } from './inflights';
import type { Snapshot } from './types';

/** How the leader is currently feeding one follower. */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** An InstallSnapshot transfer in progress to one follower. */
export interface SnapshotSend {
  snapshot: Snapshot;
  /** Bytes the follower confirmed it holds. */
  acked: number;
  /** Ticks since a chunk last went out (for retransmission). */
  idleTicks: number;
}

/**
 * The leader's view of one follower (etcd's tracker.Progress): how much of
 * the log matches, what to send next, and in which mode.
 *
 * - probe: one append per heartbeat round until the follower's log is found;
 * - replicate: optimistic pipelining, bounded by {@link Inflights};
 * - snapshot: the follower lacks the log we hold; a snapshot is in transfer.
 */
export class Progress {
  /** Highest index known to match the leader's log. */
  match = 0;
  /** Next index to send. Always above `match` (bug 12). */
  next: number;
  state: ProgressState = 'probe';
  /** Probe mode: an append is out and unanswered. */
  probeSent = false;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** Index of the snapshot being sent (snapshot mode). */
  pendingSnapshot = 0;
  snapshotSend: SnapshotSend | undefined;
  /**
   * The follower refused an append at index 0: it knows no membership
   * (a node added with empty state), so it gets the snapshot, the index-0
   * bootstrap one included, before any entry.
   */
  lacksBase = false;
  /**
   * A heartbeat reply arrived while entries were unacknowledged: one empty
   * append goes out to find out whether some were lost.
   */
  shouldPoke = false;
  /** Highest commit index sent, so commit advances reach it once. */
  sentCommit = 0;
  /** Ticks in replicate mode with messages out and no ack. */
  stallTicks = 0;
  readonly inflights: Inflights;

  constructor(next: number, maxInflight: number, maxInflightBytes: number) {
    this.next = next;
    this.inflights = new Inflights(maxInflight, maxInflightBytes);
  }

  /** Back to one probe at a time, from the last known match. */
  becomeProbe(): void {
    // after a snapshot, resume right after it even if the ack was lost
    const from =
      this.state === 'snapshot'
        ? Math.max(this.match, this.pendingSnapshot)
        : this.match;
    this.resetState('probe');
    this.next = from + 1;
  }

  /** Pipelining from the match point on. */
  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = this.match + 1;
  }

  /** Starts sending `snapshot`; appends wait until it is installed. */
  becomeSnapshot(snapshot: Snapshot): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshot.meta.index;
    this.snapshotSend = { snapshot, acked: 0, idleTicks: 0 };
  }

  /** Records an ack through `index`; false when it tells nothing new. */
  maybeUpdate(index: number): boolean {
    this.probeSent = false;
    if (index <= this.match) {
      return false;
    }
    this.match = index;
    this.next = Math.max(this.next, index + 1);
    this.stallTicks = 0;
    return true;
  }

  /**
   * Handles a rejection of the append at `rejected`; `hint` is the highest
   * index that may still match. Stale rejections are ignored, and `next`
   * never drops to `match` or below (reference/raft.md §2 bug 12).
   */
  maybeDecrTo(rejected: number, hint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) {
        return false;
      }
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected || rejected <= this.match) {
      // a reply to an older probe, or one contradicting an earlier ack
      return false;
    }
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  /** Whether sending must wait (for an ack, or for the snapshot). */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.isFull();
      default:
        return true;
    }
  }

  /** Records an append carrying entries up to `last`, `bytes` of data. */
  sentEntries(last: number, bytes: number): void {
    if (this.state === 'replicate') {
      this.next = last + 1;
      this.inflights.add(last, bytes);
    } else {
      this.probeSent = true;
    }
  }

  private resetState(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.snapshotSend = undefined;
    this.stallTicks = 0;
    this.inflights.reset();
  }
}
