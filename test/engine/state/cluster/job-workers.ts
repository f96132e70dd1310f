import { randomFloat, randomInt, type Rng } from '../../../../engine/ports/rng';
import type { GrantedLease } from '../../../../engine/state/jobs';
import { isErrorResult } from '../../../../engine/state/results';
import {
  pause,
  type AspenCluster,
  type SessionClient,
} from '../../../support/aspen-cluster';

/** One run of a job's handler, as the test-side worker saw it. */
export interface Execution {
  attempt: number;
  term: number;
  /** `abandoned`: the worker dropped it, as if it had crashed. */
  outcome: 'success' | 'failure' | 'abandoned';
  /** What the state answered to the ack or nak: `ok`, a code or `none`. */
  answer: string;
}

/** Options of {@link JobWorkers}. */
export interface JobWorkersOptions {
  workers: number;
  /** Jobs leased at a time by one worker. */
  leaseMax: number;
  rng: Rng;
  /** Share of runs that fail (nak) on their own. */
  failRate: number;
  /** Share of runs dropped without an answer, left to their lease. */
  abandonRate: number;
  /** Jobs whose every run fails, so they must end in the DLQ. */
  isPoison(payload: unknown): boolean;
  /** How long a run takes, drawn in [min, max) ms. */
  workMs: [number, number];
}

/**
 * The job workers the hooks dispatcher will run, played by the test: each
 * leases free jobs through the cluster, runs them (recording every run),
 * and acks or naks with the lease's (attempt, term), or now and then drops
 * a run as a crashed worker would, leaving it to its lease. A run whose
 * lease was reclaimed or expired meanwhile is answered `FENCED` and the
 * job runs again: the at-least-once cost of a failover, which the test
 * reports.
 */
export class JobWorkers {
  /** Every run of each job, in the order they ended. */
  readonly executions = new Map<string, Execution[]>();
  /** Runs in progress now. */
  inFlight = 0;
  private isStopped = false;
  private failure: unknown;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly aspen: AspenCluster,
    private readonly options: JobWorkersOptions,
  ) {}

  start(): void {
    this.loops = Array.from({ length: this.options.workers }, (_, i) =>
      this.run(i).catch((error: unknown) => {
        this.failure ??= error;
      }),
    );
    this.aspen.onCleanup(() => this.stop());
  }

  /** Stops leasing, lets runs end; throws what broke a worker, if any. */
  async stop(): Promise<void> {
    this.isStopped = true;
    await Promise.all(this.loops);
    if (this.failure !== undefined) {
      throw this.failure;
    }
  }

  /** Jobs whose ack was answered `ok`. */
  acked(): Set<string> {
    const done = new Set<string>();
    for (const [job, runs] of this.executions) {
      if (runs.some((r) => r.outcome === 'success' && r.answer === 'ok')) {
        done.add(job);
      }
    }
    return done;
  }

  private async run(index: number): Promise<void> {
    const client = this.aspen.client(`worker-${index}`);
    const worker = `w${index}`;
    while (!this.isStopped) {
      const { leases } = await client.proposeOk<{ leases: GrantedLease[] }>({
        t: 'jobs',
        cmd: { type: 'lease', worker, max: this.options.leaseMax },
      });
      if (leases.length === 0) {
        await pause(20);
        continue;
      }
      await Promise.all(leases.map((lease) => this.execute(client, lease)));
    }
  }

  private async execute(
    client: SessionClient,
    lease: GrantedLease,
  ): Promise<void> {
    const { rng, failRate, abandonRate, workMs } = this.options;
    this.inFlight += 1;
    const draw = randomFloat(rng);
    const outcome: Execution['outcome'] =
      draw < abandonRate
        ? 'abandoned'
        : this.options.isPoison(lease.payload) || draw < abandonRate + failRate
          ? 'failure'
          : 'success';
    await pause(workMs[0] + randomInt(rng, workMs[1] - workMs[0]));

    const ref = { job: lease.job, attempt: lease.attempt, term: lease.term };
    let answer = 'none';
    if (outcome !== 'abandoned') {
      const result = await client.propose({
        t: 'jobs',
        cmd:
          outcome === 'failure'
            ? { type: 'nak', ...ref, error: 'handler failed' }
            : { type: 'ack', ...ref },
      });
      answer = isErrorResult(result) ? result.error.code : 'ok';
    }
    const runs = this.executions.get(lease.job) ?? [];
    this.executions.set(lease.job, runs);
    runs.push({ attempt: lease.attempt, term: lease.term, outcome, answer });
    this.inFlight -= 1;
  }
}
