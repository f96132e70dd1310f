// @vitest-environment node
import { describe, expect, it } from 'vitest';

import type { TestingBugs } from '../../../engine/raft/raft-node';
import {
  runSeeds,
  type SeedPoolOptions,
  type SeedPoolSummary,
} from '../../../engine/sim/seed-pool';
import { runSimulation } from '../../../engine/sim/simulation';

// The CI budget (reference/raft.md §4.1): 200 seeds over the two cores,
// each a fault phase of STEPS events, then healing and the full checks.
// Measured on the 2-vCPU VM: this whole file takes about 100 s of CPU,
// about a minute of wall time on two idle cores (four minutes while other
// jobs kept the load average at 10).
const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);
const STEPS = 50_000;
const WORKERS = 2;
const TIMEOUT = 600_000;

function run(options: Partial<SeedPoolOptions>): Promise<SeedPoolSummary> {
  return runSeeds({ seeds: SEEDS, steps: STEPS, workers: WORKERS, ...options });
}

function describeFailures(summary: SeedPoolSummary): string[] {
  return summary.failures.map(
    (r) => `SEED=${r.seed} STEPS=${r.steps} ${r.failures[0] ?? ''}`,
  );
}

describe('simulator (CI seeds)', () => {
  it(
    'passes every seed with a linearizable history',
    { timeout: TIMEOUT },
    async () => {
      const hashes = new Map<number, string>();
      const summary = await run({
        onResult: (result) => hashes.set(result.seed, result.traceHash),
      });
      expect(describeFailures(summary)).toEqual([]);
      expect(summary.seeds).toBe(SEEDS.length);
      // an undecided history is not a pass
      expect(summary.unknownLincheck).toEqual([]);

      // a worker thread replays a seed exactly as this thread does
      const again = runSimulation({ seed: 2, steps: STEPS });
      expect(again.traceHash).toBe(hashes.get(2));
    },
  );

  const bugs: (keyof TestingBugs)[] = [
    'commitOldTermByCount',
    'voteBeforeDurable',
    'truncateOnStaleAppend',
  ];
  for (const bug of bugs) {
    it(
      `reports a failure when ${bug} is switched on`,
      { timeout: TIMEOUT },
      async () => {
        const summary = await run({
          testingBugs: { [bug]: true },
          failFast: true,
        });
        expect(summary.failures.length).toBeGreaterThan(0);
      },
    );
  }

  // without the checks of individual protocol steps, the end-to-end
  // invariants (one leader per term, durable quorums, convergence...) must
  // still see what these two mutations break
  for (const bug of ['voteBeforeDurable', 'truncateOnStaleAppend'] as const) {
    it(
      `reports ${bug} through end-to-end invariants alone`,
      { timeout: TIMEOUT },
      async () => {
        const summary = await run({
          testingBugs: { [bug]: true },
          protocolChecks: false,
          failFast: true,
        });
        const first = summary.failures[0]?.failures[0];
        expect(first).toBeDefined();
        expect(first).not.toMatch(/threw|uncaught|durability: n\d sent/);
      },
    );
  }
});
