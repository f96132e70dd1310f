import { siftDown, siftUp } from '../util/timed-heap';

/** One scheduled action of the simulation. */
export interface SimEvent {
  /** Virtual time in milliseconds at which it runs. */
  at: number;
  /** Order of scheduling; breaks ties between events at the same time. */
  seq: number;
  run: () => void;
}

/**
 * The simulation's only source of ordering: a binary min-heap of events
 * keyed by (virtual time, sequence number). Two events scheduled for the
 * same instant run in the order they were scheduled, so a run depends on
 * the seed alone.
 */
export class EventQueue {
  private readonly heap: SimEvent[] = [];
  private nextSeq = 0;
  private clock = 0;

  /** Virtual time of the event being run (or last run), in ms. */
  get now(): number {
    return this.clock;
  }

  /** Number of events waiting. */
  get size(): number {
    return this.heap.length;
  }

  /**
   * Schedules `run` at `delay` ms from now (never in the past).
   * @returns the event's sequence number.
   */
  schedule(delay: number, run: () => void): number {
    const event = {
      at: this.clock + Math.max(0, delay),
      seq: this.nextSeq++,
      run,
    };
    this.heap.push(event);
    siftUp(this.heap, this.heap.length - 1);
    return event.seq;
  }

  /**
   * Removes the earliest event, advances the clock to it and returns it
   * without running it; `undefined` when nothing is scheduled.
   */
  pop(): SimEvent | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) {
      return undefined;
    }
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      siftDown(this.heap, 0);
    }
    this.clock = top.at;
    return top;
  }

  /** Time of the earliest event, or `undefined` when there is none. */
  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }
}
