// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { compileDispatchConfig } from '../../../../engine/hooks/dispatch/dispatch-config';
import { LeaseBuckets } from '../../../../engine/hooks/dispatch/lease-plan';

const TEXT = `
[[hooks.handlers]]
name = "free"
pattern = "a.>"
type = "in_process"
handler_id = "a"
execution_mode = "job"

[[hooks.handlers]]
name = "slow"
pattern = "b.>"
type = "in_process"
handler_id = "b"
execution_mode = "job"
studio_rate_limit = { per_second = 2, burst = 3 }
`;

const config = compileDispatchConfig({ version: 1, text: TEXT, index: 1 });

describe('LeaseBuckets', () => {
  describe('plan()', () => {
    it('leases a rate-limited hook no further than its tokens', () => {
      const buckets = new LeaseBuckets();
      const options = { worker: 'w', now: 0, waitingOf: () => 10 };
      const first = buckets.plan(10, ['free', 'slow'], config, options);
      expect(first).toEqual({
        leases: [
          { type: 'lease', worker: 'w', max: 7, queues: ['hook:free'] },
          { type: 'lease', worker: 'w', max: 3, queues: ['hook:slow'] },
        ],
        retryInMs: 500,
      });

      // the bucket is empty until half a second later (2 per second)
      const empty = buckets.plan(10, ['free', 'slow'], config, options);
      expect(empty.leases).toEqual([
        { type: 'lease', worker: 'w', max: 10, queues: ['hook:free'] },
      ]);
      const later = buckets.plan(10, ['slow'], config, {
        ...options,
        now: 500,
      });
      expect(later.leases).toEqual([
        { type: 'lease', worker: 'w', max: 1, queues: ['hook:slow'] },
      ]);
    });

    it('spends no token for a throttled hook with nothing waiting', () => {
      const buckets = new LeaseBuckets();
      const idle = { worker: 'w', now: 0, waitingOf: () => 0 };
      expect(buckets.plan(4, ['slow'], config, idle).leases).toEqual([]);
      const busy = { ...idle, waitingOf: () => 5 };
      expect(buckets.plan(4, ['slow'], config, busy).leases).toEqual([
        { type: 'lease', worker: 'w', max: 3, queues: ['hook:slow'] },
      ]);
    });

    it('leases hooks missing from the config without a limit', () => {
      const plan = new LeaseBuckets().plan(5, ['gone'], config, {
        worker: 'w',
        now: 0,
        waitingOf: () => 1,
      });
      expect(plan.leases).toEqual([
        { type: 'lease', worker: 'w', max: 5, queues: ['hook:gone'] },
      ]);
    });
  });
});
