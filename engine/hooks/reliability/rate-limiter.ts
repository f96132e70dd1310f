import { TokenBucket } from './token-bucket';

/** Settings of a {@link RateLimiter} (a hook's `studio_rate_limit`). */
export interface RateLimitSettings {
  /** Sustained starts per second across the hook. */
  perSecond: number;
  /** Starts allowed at once before the rate applies. */
  burst: number;
  /** First per-item back-off after a failure. @defaultValue 100 */
  itemBaseMs?: number;
  /** Cap of the per-item back-off. @defaultValue 10000 */
  itemMaxMs?: number;
}

/**
 * Decides when the next attempt of an item may start: the larger of a
 * per-item exponential back-off (grown by each failure of that item,
 * cleared by a success) and a hook-wide token bucket, in the manner of
 * client-go's max-of rate limiters.
 */
export class RateLimiter {
  private readonly bucket: TokenBucket;
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly settings: RateLimitSettings,
    now: number,
  ) {
    this.bucket = new TokenBucket(settings.perSecond, settings.burst, now);
  }

  /** ms to wait before `item` may start; 0 means start now. */
  delay(item: string, now: number): number {
    const itemDelay = this.itemDelay(item);
    if (itemDelay > 0) {
      return itemDelay;
    }
    return this.bucket.take(now);
  }

  /** Records a failed attempt of `item`. */
  failed(item: string): void {
    this.failures.set(item, (this.failures.get(item) ?? 0) + 1);
  }

  /** Forgets `item`'s failures after it succeeded or ended. */
  forget(item: string): void {
    this.failures.delete(item);
  }

  private itemDelay(item: string): number {
    const failures = this.failures.get(item) ?? 0;
    if (failures === 0) {
      return 0;
    }
    const base = this.settings.itemBaseMs ?? 100;
    const max = this.settings.itemMaxMs ?? 10_000;
    return Math.min(max, base * 2 ** (failures - 1));
  }
}
