import type { Clock, Disposable } from '../../ports/clock';

/** What {@link Deadline.race} resolves to when time ran out first. */
export const EXPIRED: unique symbol = Symbol('expired');

/** Why a deadline ended early or on time. */
export type DeadlineEnd = 'timeout' | 'closed';

/**
 * One forward's time budget. Everything the forward awaits is raced
 * against it, so no step (connect, lookup, publish, confirm) can outlive
 * the handler's timeout.
 */
export class Deadline {
  private readonly startedAt: number;
  private readonly timer: Disposable;
  private readonly listeners: Array<() => void> = [];
  private endReason: DeadlineEnd | undefined;
  private readonly ended: Promise<typeof EXPIRED>;
  private resolveEnded!: (value: typeof EXPIRED) => void;

  constructor(
    private readonly clock: Clock,
    readonly timeoutMs: number,
  ) {
    this.startedAt = clock.now();
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    this.timer = clock.setTimeout(() => this.end('timeout'), timeoutMs);
  }

  /** Why it ended, or undefined while time remains. */
  get reason(): DeadlineEnd | undefined {
    return this.endReason;
  }

  /** Milliseconds left, at least 1 so client timeouts stay valid. */
  remainingMs(): number {
    const left = this.timeoutMs - (this.clock.now() - this.startedAt);
    return Math.max(1, Math.ceil(left));
  }

  /** Milliseconds since the forward started. */
  elapsedMs(): number {
    return Math.round(this.clock.now() - this.startedAt);
  }

  /**
   * Calls `listener` synchronously when the deadline ends, so a held
   * forward leaves its queue before anything else can run.
   */
  onEnd(listener: () => void): void {
    if (this.endReason !== undefined) {
      listener();
      return;
    }
    this.listeners.push(listener);
  }

  /** `promise`'s value, or {@link EXPIRED} if the deadline ends first. */
  race<T>(promise: Promise<T>): Promise<T | typeof EXPIRED> {
    return Promise.race([promise, this.ended]);
  }

  /** Ends it now (the forwarder is closing) or on time. */
  end(reason: DeadlineEnd): void {
    if (this.endReason !== undefined) {
      return;
    }
    this.endReason = reason;
    this.timer.dispose();
    this.resolveEnded(EXPIRED);
    for (const listener of this.listeners.splice(0)) {
      listener();
    }
  }

  /** Releases the timer once the forward settled. */
  dispose(): void {
    this.timer.dispose();
  }
}
