/**
 * Remembers keys for `windowMs` so a repeat inside the window is dropped
 * (a hook's `studio_dedup_window_ms`). Expiry is by the time passed in;
 * entries leave in insertion order, which is also expiry order.
 */
export class DedupWindow {
  private readonly seen = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  /** True the first time `key` is seen within the window. */
  admit(key: string, now: number): boolean {
    this.expire(now);
    if (this.seen.has(key)) {
      return false;
    }
    this.seen.set(key, now + this.windowMs);
    return true;
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.seen.size;
  }

  private expire(now: number): void {
    for (const [key, until] of this.seen) {
      if (until > now) {
        return;
      }
      this.seen.delete(key);
    }
  }
}
