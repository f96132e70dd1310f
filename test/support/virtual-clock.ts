import type { Clock, Disposable } from '../../engine/ports/clock';

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock that moves only when told. Timers fire in (due time, creation
 * order), so a run is the same every time.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly timers = new Set<Timer>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): Disposable {
    const timer = {
      at: this.time + Math.max(0, ms),
      seq: this.seq++,
      callback,
    };
    this.timers.add(timer);
    return { dispose: () => this.timers.delete(timer) };
  }

  /** Timers not yet fired or disposed. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due. */
  advance(ms: number): void {
    const until = this.time + ms;
    for (let timer = this.next(until); timer; timer = this.next(until)) {
      this.timers.delete(timer);
      this.time = timer.at;
      timer.callback();
    }
    this.time = until;
  }

  /** Fires timers until none is left; throws if that never ends. */
  runAll(limit = 100_000): void {
    for (let fired = 0; this.timers.size > 0; fired++) {
      if (fired >= limit) {
        throw new Error(`still ${this.timers.size} timers after ${limit}`);
      }
      const timer = this.next(Infinity) as Timer;
      this.timers.delete(timer);
      this.time = Math.max(this.time, timer.at);
      timer.callback();
    }
  }

  private next(until: number): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.timers) {
      if (
        timer.at <= until &&
        (best === undefined ||
          timer.at < best.at ||
          (timer.at === best.at && timer.seq < best.seq))
      ) {
        best = timer;
      }
    }
    return best;
  }
}
