// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { DedupWindow } from '../../../../engine/hooks/reliability/dedup-window';
import { HookMetrics } from '../../../../engine/hooks/reliability/hook-metrics';
import { RateLimiter } from '../../../../engine/hooks/reliability/rate-limiter';
import { TokenBucket } from '../../../../engine/hooks/reliability/token-bucket';

describe('TokenBucket', () => {
  it('allows the burst at once, then one token per 1/rate seconds', () => {
    const bucket = new TokenBucket(10, 3, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(100);
    expect(bucket.take(50)).toBe(50);
    expect(bucket.take(100)).toBe(0);
  });

  it('never admits more than burst + rate × time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 200 }),
        (rate, burst, gaps) => {
          const bucket = new TokenBucket(rate, burst, 0);
          let now = 0;
          let admitted = 0;
          for (const gap of gaps) {
            now += gap;
            if (bucket.take(now) === 0) {
              admitted += 1;
            }
          }
          return admitted <= burst + Math.floor((rate * now) / 1000) + 1;
        },
      ),
    );
  });
});

describe('RateLimiter', () => {
  it('takes the larger of the item back-off and the global bucket', () => {
    const limiter = new RateLimiter({ perSecond: 1000, burst: 100 }, 0);
    expect(limiter.delay('a', 0)).toBe(0);
    limiter.failed('a');
    limiter.failed('a');
    limiter.failed('a');
    expect(limiter.delay('a', 0)).toBe(400);
    expect(limiter.delay('b', 0)).toBe(0);
    limiter.forget('a');
    expect(limiter.delay('a', 0)).toBe(0);
  });

  it('caps the item back-off', () => {
    const limiter = new RateLimiter(
      { perSecond: 1000, burst: 10, itemMaxMs: 1000 },
      0,
    );
    for (let i = 0; i < 20; i++) {
      limiter.failed('x');
    }
    expect(limiter.delay('x', 0)).toBe(1000);
  });

  it('delays everyone once the bucket is empty', () => {
    const limiter = new RateLimiter({ perSecond: 2, burst: 1 }, 0);
    expect(limiter.delay('a', 0)).toBe(0);
    expect(limiter.delay('b', 0)).toBe(500);
  });
});

describe('DedupWindow', () => {
  it('drops repeats inside the window and admits them after', () => {
    const window = new DedupWindow(1000);
    expect(window.admit('k', 0)).toBe(true);
    expect(window.admit('k', 999)).toBe(false);
    expect(window.admit('k', 1000)).toBe(true);
  });

  it('forgets expired keys so memory stays bounded', () => {
    const window = new DedupWindow(10);
    for (let i = 0; i < 1000; i++) {
      window.admit(`k${i}`, i);
    }
    expect(window.size).toBeLessThanOrEqual(11);
  });
});

describe('HookMetrics', () => {
  it('reports counters, drops by reason and latency percentiles', () => {
    const metrics = new HookMetrics();
    metrics.matched = 3;
    metrics.drop('queue_full');
    metrics.drop('queue_full');
    for (let ms = 1; ms <= 100; ms++) {
      metrics.recordLatency(ms);
    }
    const snapshot = metrics.snapshot();
    expect(snapshot.dropped).toEqual({ queue_full: 2 });
    expect(snapshot.latencyP50Ms).toBe(51);
    expect(snapshot.latencyP99Ms).toBe(100);
  });

  it('has no latency before the first attempt', () => {
    expect(new HookMetrics().snapshot().latencyP50Ms).toBeNull();
  });
});
