// The interleaved plan: every step runs each system in turn (A B C A B C),
// so a burst of outside load lands on all of them rather than on one.
// Writes with 1 client, then with 64, then the watches, then the failover
// trials; each write and watch in a fresh load-generator process.
import { join } from 'node:path';

import type {
  FailoverResult,
  SystemName,
  WatchResult,
  WriteResult,
} from './jobs';
import { cpuSeconds, sleep } from './processes';
import { runJob } from './run-job';
import type { SystemUnderTest } from './system';
import { percentile, Tally } from './tally';

/** How big the run is. */
export interface Settings {
  /** Counted writes per system with 1 client, over all rounds. */
  writesOne: number;
  /** Counted writes per system with 64 clients, over all rounds. */
  writesMany: number;
  /** Concurrent clients of the large run. */
  manyClients: number;
  /** Times each write and watch step is repeated, interleaved. */
  rounds: number;
  /** Failover trials per system. */
  trials: number;
  /** Pause after a recovered trial (reference/baselines.md: 5 s). */
  settleMs: number;
  /** Wall-clock budget for the whole benchmark (ms). */
  budgetMs: number;
}

/** Bound on one write run (the baselines' 120 s). */
const RUN_CAP_MS = 120_000;

/** Bound on one failover trial before it counts as no ack. */
const FAILOVER_CAP_MS = 30_000;

export interface ScheduleContext {
  systems: SystemUnderTest[];
  settings: Settings;
  root: string;
  logDir: string;
  /** Wall-clock deadline (Date.now() ms); later steps are not run. */
  deadline: number;
  log(line: string): void;
}

/** Steps left out for the time budget, as lines for the report. */
export type Skipped = string[];

function share(total: number, rounds: number, round: number): number {
  const base = Math.floor(total / rounds);
  return round < total % rounds ? base + 1 : base;
}

const num = (value: number) => Math.round(value).toLocaleString('en-US');

/** Runs the plan; fills one tally per system. */
export async function runSchedule(
  context: ScheduleContext,
): Promise<{ tallies: Map<SystemName, Tally>; skipped: Skipped }> {
  const { systems, settings, log } = context;
  const tallies = new Map(systems.map((s) => [s.name, new Tally(s.name)]));
  const skipped: Skipped = [];
  let jobCount = 0;

  const step = async (what: string, body: () => Promise<void>) => {
    const left = context.deadline - Date.now();
    if (left < 15_000) {
      skipped.push(`${what}: not run, time budget spent`);
      return;
    }
    try {
      await body();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      skipped.push(`${what}: failed: ${why}`);
      log(`  ${what}: FAILED: ${why}`);
    }
  };
  const job = <R extends WriteResult | WatchResult | FailoverResult>(
    spec: Parameters<typeof runJob>[0],
    system: SystemName,
  ) => {
    jobCount += 1;
    const logFile = join(context.logDir, `load-${jobCount}-${system}.log`);
    const timeoutMs = Math.min(
      RUN_CAP_MS + 60_000,
      Math.max(20_000, context.deadline - Date.now()),
    );
    return runJob<R>(spec, { logFile, cwd: context.root, timeoutMs });
  };

  for (const clients of [1, settings.manyClients]) {
    const total = clients === 1 ? settings.writesOne : settings.writesMany;
    for (let round = 0; round < settings.rounds; round++) {
      for (const system of systems) {
        const count = share(total, settings.rounds, round);
        const what = `${system.name} writes c=${clients} round ${round + 1}`;
        await step(what, async () => {
          const target = await system.writeTarget(clients);
          const cpuBefore = cpuSeconds(system.serverPids());
          const capMs = Math.min(RUN_CAP_MS, context.deadline - Date.now());
          const result = await job<WriteResult>(
            {
              op: 'write',
              target,
              clients,
              total: count,
              warmup: Math.min(500, Math.ceil(count * 0.02)),
              phase: `c${clients}`,
              capMs,
            },
            system.name,
          );
          const cpuAfter = cpuSeconds(system.serverPids());
          const cpu =
            cpuBefore === undefined || cpuAfter === undefined
              ? undefined
              : cpuAfter - cpuBefore;
          tallies.get(system.name)!.addWrite(clients, result, cpu);
          const sorted = [...result.latencies].sort((a, b) => a - b);
          log(
            `  ${what}: ${num(result.ok / (result.wallMs / 1000))}/s, ` +
              `p50 ${percentile(sorted, 0.5).toFixed(2)} ms, ` +
              `p99 ${percentile(sorted, 0.99).toFixed(2)} ms, ` +
              `${num(result.ok)} ok, ${result.errors} errors`,
          );
        });
      }
    }
  }

  for (let round = 0; round < settings.rounds; round++) {
    for (const system of systems) {
      const what = `${system.name} watch round ${round + 1}`;
      await step(what, async () => {
        const tally = tallies.get(system.name)!;
        const expect = tally.acknowledged(settings.manyClients);
        const result = await job<WatchResult>(
          {
            op: 'watch',
            target: await system.watchTarget(),
            phase: `c${settings.manyClients}`,
            expect,
            capMs: Math.min(RUN_CAP_MS, context.deadline - Date.now()),
          },
          system.name,
        );
        tally.addWatch(result, expect);
        log(
          `  ${what}: ${num(result.delivered)} of ${num(expect)} in ` +
            `${num(result.wallMs)} ms`,
        );
      });
    }
  }

  for (let trial = 0; trial < settings.trials; trial++) {
    for (const system of systems) {
      const what = `${system.name} failover trial ${trial + 1}`;
      await step(what, async () => {
        const plan = await system.failoverPlan();
        try {
          const result = await job<FailoverResult>(
            {
              op: 'failover',
              target: plan.target,
              kill: plan.kill,
              capMs: FAILOVER_CAP_MS,
            },
            system.name,
          );
          tallies
            .get(system.name)!
            .addTrial(
              result.ms,
              plan.victim,
              result.failedProbes,
              result.firstError,
            );
          const took = result.ms === null ? 'no ack' : `${num(result.ms)} ms`;
          log(`  ${what}: killed ${plan.victim}, ${took}`);
        } finally {
          await system.recover();
        }
        await sleep(settings.settleMs);
      });
    }
  }
  return { tallies, skipped };
}
