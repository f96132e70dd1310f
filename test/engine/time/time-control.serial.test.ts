// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';

import type { ClusterEvent } from '../../../engine/cluster/local-cluster';
import type { Role } from '../../../engine/raft/raft-node';
import type { NodeId } from '../../../engine/raft/types';
import type { TimeControl } from '../../../engine/time/time-control';
import { putCommand } from '../../support/test-kv-machine';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';
import {
  startCluster,
  waitForLeader,
  type ClusterFixture,
} from '../cluster/cluster-fixture';

interface Stamped {
  node: NodeId;
  role: Role;
  term: number;
  leader: NodeId;
  /** Raft-clock ms. */
  at: number;
  /** Real ms (performance.now). */
  real: number;
}

/** Role events of the cluster, stamped with both clocks. */
function recordRoles(fixture: ClusterFixture): Stamped[] {
  const { cluster } = fixture;
  const roles: Stamped[] = [];
  cluster.subscribe((event: ClusterEvent) => {
    if (event.type === 'role') {
      const { node, role, term, leader } = event;
      const at = cluster.timeControl.raftClock.now();
      roles.push({ node, role, term, leader, at, real: performance.now() });
    }
  });
  return roles;
}

/**
 * Role events that are more than a late report of `leader` leading in
 * `term` (a host reports a role after its write, so it trails the core).
 */
function changesFrom(roles: Stamped[], leader: NodeId, term: number) {
  return roles.filter((r) => r.leader !== leader || r.term !== term);
}

function termOf(fixture: ClusterFixture): number {
  return Math.max(...fixture.cluster.status().map((s) => s.term));
}

/** Waits until `ms` of Raft-clock time have passed. */
async function raftTimePasses(
  fixture: ClusterFixture,
  ms: number,
): Promise<void> {
  const clock = fixture.cluster.timeControl.raftClock;
  const until = clock.now() + ms;
  await waitFor(() => clock.now() >= until, {
    timeoutMs: scaled(ms * 50 + 5_000),
    what: `${ms} ms of Raft time`,
  });
}

/**
 * Gives what a step set off (a write, then frames on loopback TCP) a few
 * hundred turns of the event loop to show up as a held frame, as a person
 * clicking step would; stops as soon as one does. Most ticks send nothing.
 */
async function framesFrom(time: TimeControl): Promise<void> {
  const held = time.frames.size;
  for (let turn = 0; turn < 300 && time.frames.size <= held; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Waits until every running node follows the same leader. */
async function settled(fixture: ClusterFixture): Promise<NodeId> {
  const leader = await waitForLeader(fixture.cluster);
  await waitFor(
    () => fixture.cluster.status().every((s) => s.leader === leader),
    { timeoutMs: scaled(5_000), what: 'every node to follow the leader' },
  );
  return leader;
}

// Time control on real nodes: TCP on 127.0.0.1, one LevelDB each.
describe('LocalCluster time control', () => {
  let fixture: ClusterFixture | undefined;

  afterEach(async () => {
    await fixture?.cleanup();
    fixture = undefined;
  });

  it('keeps term and leader through a pause of many election timeouts', async () => {
    fixture = await startCluster();
    const { cluster } = fixture;
    const leader = await settled(fixture);
    const term = termOf(fixture);
    const roles = recordRoles(fixture);

    const paused = cluster.timeControl.pause();
    // by design this waits out real time: three seconds is five to ten
    // election timeouts (300–600 ms at 30 ms ticks) that must not count
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(cluster.timeControl.timeState().raft.time).toBe(paused.raft.time);
    cluster.timeControl.resume();

    await raftTimePasses(fixture, 1_200);
    await cluster.propose(putCommand('after', 'pause'), scaled(5_000));
    expect(changesFrom(roles, leader, term)).toEqual([]);
    expect(cluster.leader()).toBe(leader);
    expect(termOf(fixture)).toBe(term);
  });

  it('plays an election in slow motion, link delays stretched with it', async () => {
    const delayMs = 5;
    const scale = 1 / 20;
    fixture = await startCluster({ host: { tickMs: 10 } });
    const { cluster } = fixture;
    const old = await settled(fixture);
    for (const from of cluster.nodeIds()) {
      for (const to of cluster.nodeIds()) {
        if (from !== to) {
          cluster.setLink(from, to, { delayMs });
        }
      }
    }
    cluster.timeControl.setSpeed(scale);
    expect(cluster.faults.delayScale).toBe(20);
    const roles = recordRoles(fixture);

    const killedAt = cluster.timeControl.raftClock.now();
    const killedReal = performance.now();
    await cluster.kill(old);
    // the role event, not the core's status: it comes after the write
    const won = await waitFor(
      () => roles.find((r) => r.role === 'leader' && r.node !== old),
      { timeoutMs: scaled(30_000), what: 'a new leader' },
    );
    const next = won.node;

    // the winner campaigned for at least a pre-vote and a vote round trip;
    // a first pre-vote may fail (split vote) and be retried, so look at
    // the campaign that won: its last pre-candidacy, then candidacy
    const mine = roles.filter((r) => r.node === next);
    const lastIndexOf = (role: string, before: number) => {
      for (let i = before - 1; i >= 0; i--) {
        if (mine[i]!.role === role) {
          return i;
        }
      }
      return -1;
    };
    const candidacy = lastIndexOf('candidate', mine.length);
    const preVote = lastIndexOf('preCandidate', candidacy);
    expect(preVote).toBeGreaterThanOrEqual(0);
    expect(mine.at(-1)?.role).toBe('leader');
    const first = mine[preVote]!;
    const campaignMs = won.at - first.at;
    expect(campaignMs).toBeGreaterThanOrEqual(4 * delayMs - 1);
    // measured, not asserted as a speed
    // eslint-disable-next-line no-console -- the figures are for people
    console.info(
      `slow motion ×${scale}: election timeout ${first.at - killedAt} ` +
        `cluster ms (${Math.round(first.real - killedReal)} real ms); ` +
        `campaign ${campaignMs.toFixed(1)} cluster ms ` +
        `(${Math.round(won.real - first.real)} real ms)`,
    );
  });

  it('steps a paused cluster one tick or one frame at a time to a new leader', async () => {
    fixture = await startCluster();
    const { cluster } = fixture;
    const { timeControl: time } = cluster;
    const old = await settled(fixture);
    const term = termOf(fixture);
    const roles = recordRoles(fixture);
    time.pause();
    await cluster.kill(old);

    let ticks = 0;
    let frames = 0;
    while (cluster.leader() === undefined) {
      const before = time.timeState();
      if (before.heldFrames > 0) {
        const result = time.step({ kind: 'message' });
        expect(result.isDone).toBe(true);
        const after = time.timeState();
        expect(after.heldFrames).toBe(before.heldFrames - 1);
        expect(after.raft.time).toBe(before.raft.time);
        frames += 1;
      } else {
        const result = time.step({ kind: 'tick' });
        expect(result.isDone).toBe(true);
        expect(result.advancedMs).toBeLessThanOrEqual(30);
        ticks += 1;
      }
      expect(ticks + frames).toBeLessThan(2_000);
      await framesFrom(cluster.timeControl);
    }

    const next = cluster.leader()!;
    expect(next).not.toBe(old);
    // the core leads before its host reports it, after its write lands
    await waitFor(
      () => roles.some((r) => r.node === next && r.role === 'leader'),
      { timeoutMs: scaled(5_000), what: 'the leader role event' },
    );
    expect(termOf(fixture)).toBeGreaterThan(term);
    const mine = roles.filter((r) => r.node === next).map((r) => r.role);
    expect(mine).toContain('candidate');
    expect(mine.at(-1)).toBe('leader');
    // a follower needs ten ticks of its own before it may campaign
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect(frames).toBeGreaterThanOrEqual(2);

    time.resume();
    await cluster.propose(putCommand('after', 'steps'), scaled(5_000));
  });

  it('fast-forwards job time a hundredfold while Raft keeps its own pace', async () => {
    fixture = await startCluster();
    const { cluster } = fixture;
    const leader = await settled(fixture);
    const term = termOf(fixture);
    const roles = recordRoles(fixture);

    cluster.timeControl.setSpeed(100);
    const start = cluster.timeControl.timeState();
    const job = cluster.timeControl.jobClock;
    await waitFor(() => job.now() >= start.job.time + 120_000, {
      timeoutMs: scaled(10_000),
      what: 'two minutes of job time',
    });
    await cluster.propose(putCommand('fast', 'forward'), scaled(5_000));
    const end = cluster.timeControl.timeState();

    const jobMs = end.job.time - start.job.time;
    const raftMs = end.raft.time - start.raft.time;
    expect(jobMs / raftMs).toBeCloseTo(100, 0);
    expect(cluster.faults.delayScale).toBe(1);
    expect(changesFrom(roles, leader, term)).toEqual([]);
    expect(cluster.leader()).toBe(leader);
    expect(termOf(fixture)).toBe(term);
  });
});
