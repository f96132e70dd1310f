import { MAX_JOB_BATCH, type JobBatchResult } from './hook-jobs-module';
import type { LeaderProposer } from './leader-proposer';
import type { AttemptOutcome } from './handler-runner';
import type { JobCommand, LeaseRef } from '../../state/jobs/commands';
import { isErrorResult } from '../../state/results';

/**
 * Group commit for the workers' reports (acks, naks, terms, heartbeats):
 * while one batch entry is being committed, the next reports gather, and
 * go out together as one `batch` job command. One entry per batch rather
 * than per attempt is what lets job throughput outrun the log's entry
 * rate; an idle worker's report still goes out at once.
 *
 * @packageDocumentation
 */

interface Waiting {
  cmd: JobCommand;
  resolve(result: unknown): void;
  reject(error: unknown): void;
}

/** Batches job commands of one leader term. */
export class ReportBatcher {
  private readonly waiting: Waiting[] = [];
  private isSending = false;

  constructor(private readonly proposer: LeaderProposer) {}

  /** Sends `cmd` with the next batch; resolves with its own result. */
  send(cmd: JobCommand): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ cmd, resolve, reject });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.isSending || this.waiting.length === 0) {
      return;
    }
    this.isSending = true;
    const batch = this.waiting.splice(0, MAX_JOB_BATCH);
    try {
      const result = await this.propose(batch.map((one) => one.cmd));
      const results = isErrorResult(result)
        ? batch.map(() => result)
        : (result as JobBatchResult).results;
      batch.forEach((one, i) => one.resolve(results[i]));
    } catch (error) {
      batch.forEach((one) => one.reject(error));
    } finally {
      this.isSending = false;
    }
    void this.flush();
  }

  // reports are safe to repeat (a second ack of an attempt is refused as
  // FENCED), so a batch whose outcome is unknown goes again while we lead
  private async propose(commands: JobCommand[]): Promise<unknown> {
    const cmd = { t: 'jobs' as const, cmd: { type: 'batch', commands } };
    for (let tries = 1; ; tries++) {
      try {
        return await this.proposer.propose(cmd);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const isUnknown = code === 'OUTCOME_UNKNOWN';
        if (!isUnknown || tries >= 3 || !this.proposer.isLeading) {
          throw error;
        }
      }
    }
  }
}

/** How an attempt is reported to the jobs module. */
export type Report =
  | { cmd: 'ack' }
  | { cmd: 'term'; error: string }
  | {
      cmd: 'nak';
      error: string;
      extra: { delayMs?: number; retryable?: boolean };
    };

/** The report of an attempt's outcome; null: nothing to report. */
export function reportOf(outcome: AttemptOutcome): Report | null {
  switch (outcome.status) {
    case 'succeeded':
      return { cmd: 'ack' };
    case 'retry':
      return {
        cmd: 'nak',
        error: outcome.message,
        extra:
          outcome.delayMs === undefined ? {} : { delayMs: outcome.delayMs },
      };
    case 'failed':
      return {
        cmd: 'nak',
        error: outcome.message,
        extra: outcome.isRetryable ? {} : { retryable: false },
      };
    case 'terminal':
      return { cmd: 'term', error: outcome.message };
    case 'aborted':
      // the lease is reclaimed by the next leader or runs out
      return null;
  }
}

/** The job command that reports `report` for `lease`'s attempt. */
export function reportCommand(lease: LeaseRef, report: Report): JobCommand {
  const ref = { job: lease.job, attempt: lease.attempt, term: lease.term };
  switch (report.cmd) {
    case 'ack':
      return { type: 'ack', ...ref, result: { handled: true } };
    case 'term':
      return { type: 'term', ...ref, error: report.error };
    case 'nak':
      return { type: 'nak', ...ref, error: report.error, ...report.extra };
  }
}
