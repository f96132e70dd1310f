// Part of bench:pubsub: the cost of 100,000 subscriptions, from the subject
// index's own bench (reused, not duplicated) and from whole subscriptions.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  measureSubscriptions,
  type SubscriptionCost,
} from './subscription-cost';

/** The index alone, as bench/subjects.bench.ts measures it at 100,000. */
export async function subjectIndexFigures() {
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join('bench', 'subjects.bench.ts')],
    { stdio: 'ignore' },
  );
  if (run.status !== 0) {
    return { error: `subjects.bench.ts exited with ${run.status}` };
  }
  const file = await readFile(join('bench', 'results', 'subjects.json'));
  type Scenario = {
    bytesPerSubscription: number;
    matchRateBySubscriptions: Record<string, { matchesPerSecond: number }>;
  };
  const { scenarios } = JSON.parse(file.toString()) as {
    scenarios: Record<'selective' | 'broad', Scenario>;
  };
  const at100k = (s: Scenario) => ({
    matchesPerSecond: s.matchRateBySubscriptions['100000']!.matchesPerSecond,
    bytesPerSubscription: s.bytesPerSubscription,
  });
  return {
    source: 'bench/results/subjects.json',
    selective: at100k(scenarios.selective),
    broad: at100k(scenarios.broad),
  };
}

/**
 * Whole subscriptions, measured twice: on the engine bundled as the app's
 * build ships it, in a process of its own, and here under tsx, whose
 * keepNames gives every closure (a handle holds two) a property store of
 * its own that the app does not pay.
 */
export async function subscriptionFigures(
  subscriptions: number,
  events: number,
) {
  const underTsx = await measureSubscriptions(subscriptions, events);
  const dir = await mkdtemp(join(tmpdir(), 'aspen-bench-subs-'));
  try {
    const { build } = await import('esbuild');
    const outfile = join(dir, 'subscription-cost.cjs');
    await build({
      stdin: {
        contents:
          "import { measureSubscriptions } from './subscription-cost';\n" +
          `void measureSubscriptions(${subscriptions}, ${events})` +
          '.then((cost) => process.stdout.write(JSON.stringify(cost)));',
        resolveDir: join('bench', 'pubsub'),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      // optional native speed-up of msgpackr; it falls back without it
      external: ['msgpackr-extract'],
      outfile,
      logLevel: 'silent',
    });
    const run = spawnSync(process.execPath, ['--expose-gc', outfile], {
      encoding: 'utf8',
    });
    const bundled = JSON.parse(run.stdout) as SubscriptionCost;
    return { bundled, underTsx };
  } catch (error) {
    return { bundled: { error: String(error) }, underTsx };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
