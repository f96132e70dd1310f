// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';

import { JobWorkers } from './job-workers';
import { killLeaders } from './leader-killer';
import { SeededRng } from '../../../../engine/ports/rng';
import { PRIORITIES, type JobEvent } from '../../../../engine/state/jobs';
import {
  LeaderTimers,
  pause,
  printFigure,
  startAspenCluster,
  type AspenCluster,
} from '../../../support/aspen-cluster';
import { scaled } from '../../../support/time-scale';
import { waitFor } from '../../../support/wait-for';

const SEED = 20_261_204;
const JOBS = 1000;
const KILLS = 20;
const PER_ROUND = JOBS / KILLS;
const MAX_ATTEMPTS = 4;

// every 50th job fails on every run: those must end in the DLQ
const isPoison = (payload: unknown) => (payload as { n: number }).n % 50 === 7;

const isTerminal = (state: string | undefined) =>
  state === 'completed' || state === 'dead_letter';

// A real 3-node cluster (TCP + LevelDB), a test-side timer service and
// job workers, and the leader killed at random moments (DESIGN §3.3).
describe('JobsModule on a real cluster', () => {
  let aspen: AspenCluster | undefined;

  afterEach(async () => {
    await aspen?.cleanup();
    aspen = undefined;
  });

  it(
    'ends each of 1,000 jobs completed or dead-lettered when the leader is killed 20 times',
    async () => {
      aspen = await startAspenCluster({
        seed: SEED,
        jobs: { completedMaxCount: 10 * JOBS },
      });
      const timers = new LeaderTimers(aspen);
      const workers = new JobWorkers(aspen, {
        workers: 8,
        leaseMax: 4,
        rng: new SeededRng(SEED + 1),
        failRate: 0.1,
        abandonRate: 0.02,
        isPoison,
        workMs: [20, 150],
      });
      timers.start();
      workers.start();

      // each round enqueues its share while the kill of that round waits
      // for its random moment, so jobs are usually running when it comes
      const producer = aspen.client('producer');
      const ids: string[] = [];
      const enqueuing: Promise<void>[] = [];
      const enqueueRound = async (round: number) => {
        for (let n = round * PER_ROUND; n < (round + 1) * PER_ROUND; n++) {
          const { job } = await producer.proposeOk<{ job: string }>({
            t: 'jobs',
            cmd: {
              type: 'enqueue',
              priority: PRIORITIES[n % PRIORITIES.length]!,
              payload: { n },
              maxAttempts: MAX_ATTEMPTS,
              // a lease of 200 + 0 + 1000 ms: short, so expiry is exercised
              timeoutMs: 200,
              graceMs: 0,
            },
          });
          ids[n] = job;
          await pause(10);
        }
      };
      const runningAtKill: number[] = [];
      const killed = await killLeaders(aspen, {
        rounds: KILLS,
        // the kill moments replay from the seed; the workers' timing not
        rng: new SeededRng(SEED),
        maxGapMs: 1200,
        onRound: (round) => enqueuing.push(enqueueRound(round)),
        onKill: () => runningAtKill.push(workers.inFlight),
      });
      await Promise.all(enqueuing);

      // on a timeout, the verdict below names the jobs that did not end
      await waitFor(
        () => {
          const jobs = aspen!.leaderNode()?.jobs;
          return jobs && ids.every((id) => isTerminal(jobs.job(id)?.state));
        },
        { timeoutMs: scaled(60_000), what: 'every job to end' },
      ).catch(() => undefined);
      await workers.stop();
      await timers.stop();

      // the verdict comes from a linearizable read at the leader
      const leader = await aspen.readLeader();
      const jobs = ids.map((id) => leader.jobs.job(id));
      const counts = leader.jobs.view().counts;
      const total = Object.values(counts).reduce((sum, c) => sum + c, 0);
      const completed = jobs.filter((job) => job?.state === 'completed');
      const dead = jobs.filter((job) => job?.state === 'dead_letter');

      expect(killed).toHaveLength(KILLS);
      expect(new Set(ids).size).toBe(JOBS);
      // none missing, none enqueued twice, none left unfinished
      expect(jobs.filter((job) => job === undefined)).toEqual([]);
      expect(total).toBe(JOBS);
      const unfinished = jobs.filter((job) => !isTerminal(job!.state));
      expect(unfinished).toEqual([]);
      expect(completed.length + dead.length).toBe(JOBS);
      // the state completed exactly the jobs whose ack it answered ok
      expect(new Set(completed.map((job) => job!.id))).toEqual(workers.acked());
      const poisoned = jobs.filter((job) => isPoison(job!.payload));
      expect(poisoned.length).toBe(JOBS / 50);
      for (const job of poisoned) {
        expect(job!.state).toBe('dead_letter');
      }

      const runs = [...workers.executions.values()];
      const moreThanOnce = runs.filter((r) => r.length > 1).length;
      const lostAcks = runs.filter((r) =>
        r.some((run) => run.outcome === 'success' && run.answer !== 'ok'),
      ).length;
      const events = leader.machine.eventsFrom(
        leader.machine.earliestEventId(),
      );
      const ended = (reason: string) =>
        events.filter(
          (e) =>
            e.topic.startsWith('$jobs.') &&
            (e.payload as JobEvent).reason === reason,
        ).length;
      const withWork = runningAtKill.filter((count) => count > 0).length;
      printFigure(
        `jobs under ${KILLS} leader kills (${withWork} with runs in flight): ` +
          `${completed.length} completed, ${dead.length} in the DLQ, ` +
          `0 lost; ${moreThanOnce} executed more than once, ${lostAcks} of ` +
          `them after a successful run whose ack was fenced; ` +
          `${ended('leader_lost')} attempts reclaimed, ` +
          `${ended('timeout') + ended('processing_timeout')} leases ` +
          `timed out, ` +
          `${timers.terms.length} leader terms reclaimed; ` +
          `${aspen.retries()} proposals resent after an unknown outcome`,
      );
    },
    scaled(150_000),
  );
});
