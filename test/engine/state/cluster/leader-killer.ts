import { randomInt, type Rng } from '../../../../engine/ports/rng';
import type { NodeId } from '../../../../engine/raft/types';
import { pause, type AspenCluster } from '../../../support/aspen-cluster';
import { scaled } from '../../../support/time-scale';
import { waitFor } from '../../../support/wait-for';

/** Options of {@link killLeaders}. */
export interface KillOptions {
  rounds: number;
  rng: Rng;
  /** Longest wait before each kill (ms); the moment is drawn below it. */
  maxGapMs: number;
  /** Called as each round starts, before its kill. */
  onRound?(round: number): void;
  /** Called just before each kill. */
  onKill?(leader: NodeId): void;
}

/**
 * Kills the leader `rounds` times, each at a random moment of its round,
 * and restarts the killed node a random while after a new leader is up.
 * Only one node is ever down, so a quorum stays; the next round waits for
 * the restarted node to catch up, so the next kill cannot strand the log.
 */
export async function killLeaders(
  aspen: AspenCluster,
  options: KillOptions,
): Promise<NodeId[]> {
  const { cluster } = aspen;
  const killed: NodeId[] = [];
  for (let round = 0; round < options.rounds; round++) {
    options.onRound?.(round);
    await pause(50 + randomInt(options.rng, options.maxGapMs));
    const leader = await aspen.waitForLeader();
    options.onKill?.(leader);
    await cluster.kill(leader);
    killed.push(leader);

    await waitFor(
      () => {
        const next = cluster.leader();
        return next !== undefined && next !== leader;
      },
      { timeoutMs: scaled(15_000), what: `a leader after killing ${leader}` },
    );
    await pause(100 + randomInt(options.rng, 500));
    await cluster.restart(leader);
    await aspen.waitCaughtUp(leader);
  }
  return killed;
}
