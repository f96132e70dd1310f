import { parentPort } from 'node:worker_threads';

import { runSimulation, type SimulationOptions } from './simulation';

/** A job sent to a seed worker. */
export type SeedJob = SimulationOptions;

// each message is one seed to run; the answer is its SimulationResult
parentPort?.on('message', (job: SeedJob) => {
  parentPort!.postMessage(runSimulation(job));
});
