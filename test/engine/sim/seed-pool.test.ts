// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { runSeeds } from '../../../engine/sim/seed-pool';
import type { SimulationResult } from '../../../engine/sim/simulation';

describe('runSeeds()', () => {
  it('gives the same results on a worker thread as in process', async () => {
    const inProcess: SimulationResult[] = [];
    const onThreads: SimulationResult[] = [];
    const options = { seeds: [11, 12], steps: 3_000 };
    await runSeeds({
      ...options,
      workers: 0,
      onResult: (r) => inProcess.push(r),
    });
    const summary = await runSeeds({
      ...options,
      workers: 1,
      onResult: (r) => onThreads.push(r),
    });

    expect(summary.seeds).toBe(2);
    expect(summary.failures).toEqual([]);
    expect(onThreads.map((r) => r.traceHash)).toEqual(
      inProcess.map((r) => r.traceHash),
    );
  });

  it('stops handing out seeds after a failure when failing fast', async () => {
    const summary = await runSeeds({
      seeds: [1, 2, 3, 4, 5, 6],
      steps: 3_000,
      workers: 0,
      failFast: true,
      testingBugs: { voteBeforeDurable: true },
    });
    expect(summary.seeds).toBe(1);
    expect(summary.failures.map((r) => r.seed)).toEqual([1]);
    expect(summary.failures[0]!.trace!.length).toBeGreaterThan(0);
  });
});
