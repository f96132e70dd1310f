// @vitest-environment node
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import {
  LINK_DELAY_MS,
  VirtualCluster,
  type RoleChange,
} from './virtual-cluster';

const speed = fc.record({
  t: fc.constant('speed' as const),
  speed: fc.constantFrom(1 / 50, 1 / 20, 1 / 3, 1, 10, 100, 1000),
});
// up to ten minutes of real time: thousands of election timeouts
const pause = fc.record({
  t: fc.constant('pause' as const),
  realMs: fc.integer({ min: 0, max: 600_000 }),
});
const run = fc.record({
  t: fc.constant('run' as const),
  clusterMs: fc.integer({ min: 0, max: 300 }),
});
// runs of ticks with nothing delivered are what time followers out
const step = fc.record({
  t: fc.constant('step' as const),
  kind: fc.constantFrom('tick' as const, 'message' as const),
  times: fc.integer({ min: 1, max: 40 }),
});
// real time passing while paused: frames in a link delay arrive (held)
const wait = fc.record({
  t: fc.constant('wait' as const),
  realMs: fc.integer({ min: 0, max: 50 }),
});
const stepsAndWaits = fc.array(
  fc.oneof(
    { arbitrary: step, weight: 6 },
    { arbitrary: wait, weight: 3 },
    { arbitrary: speed, weight: 1 },
  ),
  { minLength: 10, maxLength: 60 },
);

/** At most one leader per term (Raft §5.2, election safety). */
function expectElectionSafety(roles: readonly RoleChange[]): void {
  const leaders = new Map<number, number>();
  for (const { node, role, term } of roles) {
    if (role !== 'leader') {
      continue;
    }
    expect(leaders.get(term) ?? node, `two leaders in term ${term}`).toBe(node);
    leaders.set(term, node);
  }
}

// Real RaftHosts over memory storage and network, with real time made
// virtual: many schedules of speed changes and pauses run in a second.
describe('TimeControl on a Raft cluster', () => {
  let cluster: VirtualCluster | undefined;

  afterEach(async () => {
    await cluster?.dispose();
    cluster = undefined;
  });

  it('causes no election by any speed or any pause, however long', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000 }),
        fc.array(fc.oneof(speed, pause, run), { minLength: 1, maxLength: 8 }),
        async (seed, controls) => {
          await cluster?.dispose();
          cluster = await VirtualCluster.start(seed);
          const leader = cluster.leader();
          const term = cluster.term();
          const rolesBefore = cluster.roles.length;

          for (const control of controls) {
            if (control.t === 'speed') {
              cluster.time.setSpeed(control.speed);
            } else if (control.t === 'pause') {
              cluster.time.pause();
              await cluster.passReal(control.realMs);
              cluster.time.resume();
            } else {
              await cluster.run(control.clusterMs);
            }
            expect(cluster.term()).toBe(term);
          }

          // several election timeouts more at full speed, and a write
          cluster.time.setSpeed(1);
          await cluster.run(500);
          await cluster.write();
          expect(cluster.roles.slice(rolesBefore)).toEqual([]);
          expect(cluster.leader()).toBe(leader);
          expect(cluster.term()).toBe(term);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('keeps one leader per term under any steps, and recovers on resume', async () => {
    let elections = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000 }),
        stepsAndWaits,
        async (seed, controls) => {
          await cluster?.dispose();
          cluster = await VirtualCluster.start(seed);
          cluster.time.pause();
          for (const control of controls) {
            if (control.t === 'speed') {
              cluster.time.setSpeed(control.speed);
            } else if (control.t === 'step') {
              for (let i = 0; i < control.times; i++) {
                const before = cluster.time.raftClock.now();
                const result = cluster.time.step({ kind: control.kind });
                const moved = cluster.time.raftClock.now() - before;
                expect(moved).toBe(result.advancedMs);
                // between clicks real time passes: the answer arrives, held
                await cluster.passReal(LINK_DELAY_MS + 1);
              }
            } else if (control.t === 'wait') {
              await cluster.passReal(control.realMs);
            }
            expectElectionSafety(cluster.roles);
          }
          elections += cluster.term() - 1;

          cluster.time.resume();
          cluster.time.setSpeed(1);
          await cluster.runUntil(() => cluster!.leader() !== undefined, 3_000);
          await cluster.write();
          expectElectionSafety(cluster.roles);
        },
      ),
      // a fixed seed: the check below needs runs known to reach elections
      { numRuns: 25, seed: 20_240_607 },
    );
    // the steps did drive elections, so safety was really put to the test
    expect(elections).toBeGreaterThan(0);
  });

  it('elects a leader by steps alone, one message at a time', async () => {
    cluster = await VirtualCluster.start(7);
    const { time } = cluster;
    const term = cluster.term();
    const rolesBefore = cluster.roles.length;
    const since = () => cluster!.roles.slice(rolesBefore);
    time.pause();
    await cluster.passReal(1_000);
    await cluster.kill(cluster.leader()!);

    // what was in flight goes first, so the old leader's last heartbeats
    // are behind the followers
    while (time.frames.size > 0) {
      time.step({ kind: 'message' });
      await cluster.passReal(20);
    }

    // ticks with nothing arriving: a follower's election timer runs out
    let ticks = 0;
    while (!since().some((r) => r.role === 'preCandidate')) {
      expect(time.step({ kind: 'tick' }).isDone).toBe(true);
      ticks += 1;
      await cluster.settle();
      expect(ticks).toBeLessThan(100);
    }
    expect(ticks).toBeGreaterThanOrEqual(10);

    // now only messages: pre-votes, votes and their answers, one by one
    const frozenAt = time.raftClock.now();
    let messages = 0;
    while (since().at(-1)?.role !== 'leader') {
      await cluster.passReal(20);
      messages += time.step({ kind: 'message' }).isDone ? 1 : 0;
      await cluster.settle();
      expect(messages).toBeLessThan(20);
    }
    const winner = cluster.leader();
    const roles = since().filter((r) => r.node === winner);
    expect(roles.map((r) => r.role)).toEqual([
      'preCandidate',
      'candidate',
      'leader',
    ]);
    expect(messages).toBe(4);
    expect(time.raftClock.now()).toBe(frozenAt);
    expect(cluster.term()).toBe(term + 1);
  });
});
