import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

import type { SeedJob } from './seed-worker';
import {
  runSimulation,
  type SimulationOptions,
  type SimulationResult,
} from './simulation';

/** Options of {@link runSeeds}. */
export interface SeedPoolOptions extends Omit<SimulationOptions, 'seed'> {
  /** The seeds to run. */
  seeds: readonly number[];
  /**
   * Worker threads; 0 runs every seed on the calling thread.
   * @defaultValue 2
   */
  workers?: number;
  /**
   * Stop handing out seeds after the first failure.
   * @defaultValue false
   */
  failFast?: boolean;
  /** Called with each result as it arrives (in completion order). */
  onResult?: (result: SimulationResult) => void;
}

/** What a batch of seeds came to. */
export interface SeedPoolSummary {
  /** Seeds run (fewer than asked after a fail-fast stop). */
  seeds: number;
  /** The failed runs, by ascending seed. */
  failures: SimulationResult[];
  /** Seeds whose client history the checker could not decide. */
  unknownLincheck: number[];
}

/**
 * Runs `seeds` through {@link runSimulation}, spread over worker threads.
 * Each run is deterministic on its own, so the outcome per seed does not
 * depend on the number of workers or on the order they finish in. Nothing
 * here reads a clock: callers that want timings measure around it.
 */
export async function runSeeds(
  options: SeedPoolOptions,
): Promise<SeedPoolSummary> {
  const { seeds, workers = 2, failFast = false, onResult } = options;
  const job = (seed: number): SeedJob => ({
    seed,
    steps: options.steps,
    faults: options.faults,
    testingBugs: options.testingBugs,
    protocolChecks: options.protocolChecks,
    keepTrace: options.keepTrace,
    lincheckSteps: options.lincheckSteps,
  });
  const results: SimulationResult[] = [];
  let next = 0;
  const take = (): number | undefined => {
    const isStopped = failFast && results.some((r) => !r.ok);
    return isStopped || next >= seeds.length ? undefined : seeds[next++];
  };
  const record = (result: SimulationResult) => {
    results.push(result);
    onResult?.(result);
  };

  if (workers <= 0) {
    for (let seed = take(); seed !== undefined; seed = take()) {
      record(runSimulation(job(seed)));
    }
  } else {
    const count = Math.min(workers, seeds.length);
    const lanes = Array.from({ length: count }, () =>
      runLane(take, job, record),
    );
    await Promise.all(lanes);
  }

  return {
    seeds: results.length,
    failures: results.filter((r) => !r.ok).sort((a, b) => a.seed - b.seed),
    unknownLincheck: results
      .filter((r) => r.stats.lincheck === 'unknown')
      .map((r) => r.seed)
      .sort((a, b) => a - b),
  };
}

// one worker thread that runs seeds until none are left
async function runLane(
  take: () => number | undefined,
  job: (seed: number) => SeedJob,
  record: (result: SimulationResult) => void,
): Promise<void> {
  const worker = startWorker();
  try {
    for (let seed = take(); seed !== undefined; seed = take()) {
      record(await ask(worker, job(seed)));
    }
  } finally {
    await worker.terminate();
  }
}

function ask(worker: Worker, job: SeedJob): Promise<SimulationResult> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      worker.off('message', onMessage);
      reject(error);
    };
    const onMessage = (result: SimulationResult) => {
      worker.off('error', onError);
      resolve(result);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage(job);
  });
}

// the worker runs TypeScript: load tsx's CommonJS hook first (the package
// is CommonJS), resolved from here so any working directory will do
function startWorker(): Worker {
  const local = createRequire(join(__dirname, 'seed-pool.ts'));
  const hook = local.resolve('tsx/cjs');
  const entry = join(__dirname, 'seed-worker.ts');
  const source =
    `require(${JSON.stringify(hook)});` + `require(${JSON.stringify(entry)});`;
  return new Worker(source, { eval: true });
}
