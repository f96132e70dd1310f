// Runs one load-generator process for one job and waits for its reply,
// killing its process group when it overruns.
import { join } from 'node:path';

import type { Job, JobResult } from './jobs';
import { spawnGroup, stopGroup } from './processes';

const ENTRY = join(__dirname, 'load-generator.ts');

/** Options of {@link runJob}. */
export interface RunJobOptions {
  /** Where the generator's stdout and stderr go. */
  logFile: string;
  /** Repository root: tsx resolves from there. */
  cwd: string;
  /** Kill it after this long (ms). */
  timeoutMs: number;
}

/** Starts a load generator, hands it `job`, resolves with its result. */
export async function runJob<R extends JobResult>(
  job: Job,
  options: RunJobOptions,
): Promise<R> {
  const generator = spawnGroup(process.execPath, ['--import', 'tsx', ENTRY], {
    logFile: options.logFile,
    cwd: options.cwd,
    hasIpc: true,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const reply = await new Promise<R>((resolve, reject) => {
      generator.child.once('message', (message: unknown) => {
        const answer = message as { ok: boolean; result: R; error: string };
        if (answer.ok) {
          resolve(answer.result);
        } else {
          reject(new Error(answer.error));
        }
      });
      // 'close' comes after the IPC channel drained, so after any reply
      generator.child.once('close', (code, signal) => {
        const how = code ?? signal;
        reject(new Error(`load generator exited (${how}) without a reply`));
      });
      timer = setTimeout(
        () => reject(new Error(`load generator over ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      generator.child.send(job);
    });
    return reply;
  } finally {
    clearTimeout(timer);
    await stopGroup(generator, 2000);
  }
}
