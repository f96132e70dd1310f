/** A handle that cancels what it was returned for. */
export interface Disposable {
  dispose(): void;
}

/**
 * Monotonic time and timers. The app uses real time (scaled by the cluster
 * clock); the simulator uses virtual time. The Raft core never reads it:
 * the driver turns it into ticks.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (not wall-clock time). */
  now(): number;
  /** Calls `callback` once after `ms`. */
  setTimeout(callback: () => void, ms: number): Disposable;
}

/** Real monotonic time from the process's high-resolution clock. */
export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    return { dispose: () => clearTimeout(handle) };
  },
};
