import { systemClock, type Clock, type Disposable } from '../ports/clock';

import { InvalidTimeScaleError, NotPausedError } from './errors';
import { TimerQueue, type QueuedTimer } from './timer-queue';

// a real wait this short left after a ring is rounding, not time to wait
const SNAP_REAL_MS = 0.001;

/** Options of a {@link ClusterClock}. */
export interface ClusterClockOptions {
  /** Real time and real timers underneath. @defaultValue systemClock */
  source?: Clock;
  /** Cluster time (ms) the clock starts at. @defaultValue 0 */
  startAt?: number;
  /** Cluster ms per real ms. @defaultValue 1 */
  scale?: number;
  /** Start paused. @defaultValue false */
  isPaused?: boolean;
}

/**
 * What a {@link ClusterClock} needs to carry on where it stopped, e.g.
 * after the studio restarts: see {@link ClusterClock.restore}.
 */
export interface ClusterClockState {
  /** Cluster time (ms) when the state was taken. */
  time: number;
  /** Cluster ms per real ms. */
  scale: number;
  /** True when time stood still. */
  isPaused: boolean;
}

/** What one {@link ClusterClock.step} did. */
export interface ClockStep {
  /** False when no timer was pending, so nothing happened. */
  isFired: boolean;
  /** How far cluster time moved to reach the timer (ms). */
  advancedMs: number;
}

/**
 * Cluster time: a persisted offset plus real elapsed time times a scale
 * (DESIGN §3, the `Clock` port's real implementation). It can be slowed,
 * sped up, paused and stepped; it never jumps and never goes back, except
 * when moved forward by hand while paused.
 *
 * Timers made through it are due at a cluster time, not after a real
 * span: a scale change or a pause moves their real firing time with it,
 * and after a resume each fires at the right cluster time, never early and
 * never all at once. Underneath there is only ever one real timer, for
 * the earliest due.
 */
export class ClusterClock implements Clock {
  private readonly source: Clock;
  private readonly timers = new TimerQueue();
  // cluster time at `base`, a reading of the source
  private offset: number;
  private base: number;
  private rate: number;
  private paused: boolean;
  private alarm?: Disposable;
  private alarmAt = Infinity;
  private isDisposed = false;

  constructor(options: ClusterClockOptions = {}) {
    this.source = options.source ?? systemClock;
    this.offset = options.startAt ?? 0;
    this.base = this.source.now();
    this.rate = checkScale(options.scale ?? 1);
    this.paused = options.isPaused ?? false;
  }

  /** A clock that continues from `state`, as {@link snapshotState} took it. */
  static restore(state: ClusterClockState, source?: Clock): ClusterClock {
    return new ClusterClock({
      source,
      startAt: state.time,
      scale: state.scale,
      isPaused: state.isPaused,
    });
  }

  /** Cluster ms per real ms. */
  get scale(): number {
    return this.rate;
  }

  /** True while time stands still. */
  get isPaused(): boolean {
    return this.paused;
  }

  /** Timers not yet fired or cancelled. */
  get pending(): number {
    return this.timers.size;
  }

  /** Cluster time (ms). */
  now(): number {
    if (this.paused) {
      return this.offset;
    }
    return this.offset + (this.source.now() - this.base) * this.rate;
  }

  /** Calls `callback` once, `ms` of cluster time from now. */
  setTimeout(callback: () => void, ms: number): Disposable {
    if (this.isDisposed) {
      return { dispose: () => {} };
    }
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const timer = this.timers.push(this.now() + delay, callback);
    if (timer.at < this.alarmAt) {
      this.arm();
    }
    return { dispose: () => this.cancel(timer) };
  }

  /**
   * Sets how many cluster ms pass per real ms. Time is rebased first, so
   * the change never makes it jump; pending timers keep their due times.
   *
   * @throws `INVALID_TIME_SCALE` unless `scale` is positive and finite.
   */
  setScale(scale: number): void {
    checkScale(scale);
    this.rebase();
    this.rate = scale;
    this.rearm();
  }

  /** Stops time; pending timers wait, due time intact. */
  pause(): void {
    if (this.paused) {
      return;
    }
    this.rebase();
    this.paused = true;
    this.disarm();
  }

  /** Lets time run again from where it stood. */
  resume(): void {
    if (!this.paused) {
      return;
    }
    this.base = this.source.now();
    this.paused = false;
    this.arm();
  }

  /**
   * Moves time to the earliest pending timer and fires that one only;
   * others due at the same instant wait for their own step.
   *
   * @throws `NOT_PAUSED` while the clock runs.
   */
  step(): ClockStep {
    if (!this.paused) {
      throw new NotPausedError('a step');
    }
    const timer = this.timers.pop();
    if (timer === undefined) {
      return { isFired: false, advancedMs: 0 };
    }
    const advancedMs = Math.max(0, timer.at - this.offset);
    this.offset += advancedMs;
    timer.callback();
    return { isFired: true, advancedMs };
  }

  /**
   * Moves time forward by `ms`, firing in due order every timer that falls
   * due, including those the callbacks set inside the span (like a
   * virtual clock). Returns how many fired.
   *
   * @throws `NOT_PAUSED` while the clock runs.
   */
  advance(ms: number): number {
    if (!this.paused) {
      throw new NotPausedError('moving time by hand');
    }
    if (!Number.isFinite(ms) || ms < 0) {
      throw new InvalidTimeScaleError(`cannot advance by ${ms} ms`);
    }
    const until = this.offset + ms;
    let fired = 0;
    for (
      let t = this.timers.peek();
      t && t.at <= until;
      t = this.timers.peek()
    ) {
      this.timers.pop();
      this.offset = Math.max(this.offset, t.at);
      fired += 1;
      t.callback();
    }
    this.offset = Math.max(this.offset, until);
    return fired;
  }

  /** The time, scale and pause, to persist and {@link restore} later. */
  snapshotState(): ClusterClockState {
    return { time: this.now(), scale: this.rate, isPaused: this.paused };
  }

  /** Cancels every timer and the real one underneath; nothing fires again. */
  dispose(): void {
    this.isDisposed = true;
    this.disarm();
    this.timers.clear();
  }

  // read the source once: a second reading could land later than the
  // first and make the next now() fall behind one already returned
  private rebase(): void {
    if (this.paused) {
      return;
    }
    const real = this.source.now();
    this.offset += (real - this.base) * this.rate;
    this.base = real;
  }

  private cancel(timer: QueuedTimer): void {
    this.timers.cancel(timer);
    if (this.timers.size === 0) {
      // no real timer may outlive the last cluster timer (no leaks)
      this.disarm();
    }
  }

  private rearm(): void {
    this.disarm();
    this.arm();
  }

  private arm(): void {
    if (this.paused || this.isDisposed) {
      return;
    }
    const next = this.timers.peek();
    if (next === undefined) {
      this.disarm();
      return;
    }
    if (this.alarm !== undefined && next.at >= this.alarmAt) {
      return;
    }
    this.disarm();
    this.alarmAt = next.at;
    const wait = Math.max(0, (next.at - this.now()) / this.rate);
    this.alarm = this.source.setTimeout(() => this.ring(), wait);
  }

  private disarm(): void {
    this.alarm?.dispose();
    this.alarm = undefined;
    this.alarmAt = Infinity;
  }

  // Fires what is due now, in order. Timers set by these callbacks wait for
  // the next ring even when already due, so a callback that keeps setting
  // zero-delay timers cannot hold the event loop.
  private ring(): void {
    const target = this.alarmAt;
    this.alarm = undefined;
    this.alarmAt = Infinity;
    if (this.paused || this.isDisposed) {
      return;
    }
    let now = this.now();
    if (now < target && (target - now) / this.rate < SNAP_REAL_MS) {
      // only rounding stands between now and the due time: waiting again
      // for so little could ring at the same instant forever
      this.rebase();
      this.offset = Math.max(this.offset, target);
      now = this.offset;
    }
    const mark = this.timers.seqMark;
    try {
      for (
        let t = this.timers.peek();
        t && t.at <= now && t.seq < mark && !this.paused;
        t = this.timers.peek()
      ) {
        this.timers.pop();
        t.callback();
      }
    } finally {
      this.arm();
    }
  }
}

function checkScale(scale: number): number {
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new InvalidTimeScaleError(`clock scale ${scale} is not positive`);
  }
  return scale;
}
