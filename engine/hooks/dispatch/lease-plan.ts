import type { DispatchConfig } from './dispatch-config';
import { hookQueue } from './hook-job-spec';
import { TokenBucket } from '../reliability/token-bucket';
import type { LeaseCommand } from '../../state/jobs/commands';

/**
 * Which lease commands the leader's workers propose for the slots they
 * have free. Hooks without a rate limit share one lease, so the jobs
 * module's priority order (critical first) holds across them. A hook with
 * `studio_rate_limit` gets a lease of its own, for at most as many jobs as
 * its token bucket has tokens.
 *
 * That is the hook-wide half of the rate limit; the per-item half is the
 * job's own exponential back-off, which the replicated state already
 * enforces (a retry is not leasable before it is due). An attempt thus
 * starts after the larger of the two.
 *
 * @packageDocumentation
 */

/** The leases to propose, and when to look again for throttled hooks. */
export interface LeasePlan {
  leases: LeaseCommand[];
  /** ms until a throttled hook has a token again; undefined: none waits. */
  retryInMs?: number;
}

/** The token buckets of rate-limited job hooks on one leader. */
export class LeaseBuckets {
  private readonly buckets = new Map<
    string,
    { bucket: TokenBucket; perSecond: number; burst: number }
  >();

  /**
   * Makes the plan for `free` slots over the hooks with open jobs.
   * `waitingOf` bounds how many tokens a throttled hook may spend: its
   * open jobs less those running, so tokens are not taken for nothing.
   */
  plan(
    free: number,
    hooks: readonly string[],
    config: DispatchConfig,
    options: { worker: string; now: number; waitingOf(hook: string): number },
  ): LeasePlan {
    const { worker, now } = options;
    const open: string[] = [];
    const leases: LeaseCommand[] = [];
    let left = free;
    let retryInMs: number | undefined;
    for (const name of hooks) {
      const limit = config.hooks.find((hook) => hook.name === name)?.rateLimit;
      if (limit === undefined) {
        open.push(hookQueue(name));
        continue;
      }
      const bucket = this.bucket(name, limit.perSecond, limit.burst, now);
      let granted = 0;
      const most = Math.min(left, options.waitingOf(name));
      while (granted < most) {
        const wait = bucket.take(now);
        if (wait > 0) {
          retryInMs = Math.min(retryInMs ?? wait, wait);
          break;
        }
        granted += 1;
      }
      if (granted > 0) {
        leases.push({
          type: 'lease',
          worker,
          max: granted,
          queues: [hookQueue(name)],
        });
        left -= granted;
      }
    }
    if (open.length > 0 && left > 0) {
      leases.unshift({ type: 'lease', worker, max: left, queues: open });
    }
    return { leases, retryInMs };
  }

  private bucket(
    hook: string,
    perSecond: number,
    burst: number,
    now: number,
  ): TokenBucket {
    const known = this.buckets.get(hook);
    if (
      known !== undefined &&
      known.perSecond === perSecond &&
      known.burst === burst
    ) {
      return known.bucket;
    }
    const bucket = new TokenBucket(perSecond, burst, now);
    this.buckets.set(hook, { bucket, perSecond, burst });
    return bucket;
  }
}
