import { siftDown, siftUp } from '../util/timed-heap';

/** One timer of a {@link TimerQueue}. */
export interface QueuedTimer {
  /** Cluster time (ms) at which it is due. */
  readonly at: number;
  /** Creation order; breaks ties between timers due at the same time. */
  readonly seq: number;
  readonly callback: () => void;
  /** False once fired or cancelled. */
  isLive: boolean;
}

/**
 * Pending timers in (due time, creation order): a binary min-heap with
 * lazy removal. A cancelled timer stays in the heap, marked dead, until it
 * reaches the top or dead ones outnumber live ones; Raft hosts cancel a
 * request timer for nearly every proposal, so removal must be cheap.
 */
export class TimerQueue {
  private heap: QueuedTimer[] = [];
  private live = 0;
  private nextSeq = 0;

  /** Timers not yet fired or cancelled. */
  get size(): number {
    return this.live;
  }

  /** The sequence number the next timer will get. */
  get seqMark(): number {
    return this.nextSeq;
  }

  /** Adds a timer due at `at`. */
  push(at: number, callback: () => void): QueuedTimer {
    const timer = { at, seq: this.nextSeq++, callback, isLive: true };
    this.heap.push(timer);
    siftUp(this.heap, this.heap.length - 1);
    this.live += 1;
    return timer;
  }

  /** The earliest live timer, without removing it. */
  peek(): QueuedTimer | undefined {
    this.dropDeadTop();
    return this.heap[0];
  }

  /** Removes and returns the earliest live timer. */
  pop(): QueuedTimer | undefined {
    const top = this.peek();
    if (top !== undefined) {
      this.removeTop();
      top.isLive = false;
      this.live -= 1;
    }
    return top;
  }

  /** Cancels `timer`; a timer already fired or cancelled is left alone. */
  cancel(timer: QueuedTimer): void {
    if (!timer.isLive) {
      return;
    }
    timer.isLive = false;
    this.live -= 1;
    if (this.heap.length > 64 && this.live * 2 < this.heap.length) {
      this.rebuild();
    }
  }

  /** Cancels every timer. */
  clear(): void {
    for (const timer of this.heap) {
      timer.isLive = false;
    }
    this.heap = [];
    this.live = 0;
  }

  private dropDeadTop(): void {
    while (this.heap.length > 0 && !this.heap[0]!.isLive) {
      this.removeTop();
    }
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      siftDown(this.heap, 0);
    }
  }

  private rebuild(): void {
    this.heap = this.heap.filter((timer) => timer.isLive);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) {
      siftDown(this.heap, i);
    }
  }
}
