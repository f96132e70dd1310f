// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';

import { GroupConsumers } from './group-consumers';
import { killLeaders } from './leader-killer';
import { SeededRng } from '../../../../engine/ports/rng';
import { formatEventId } from '../../../../engine/state/event-id';
import type { GroupEvent } from '../../../../engine/state/groups';
import type { EventId } from '../../../../engine/state/module';
import {
  LeaderTimers,
  pause,
  printFigure,
  startAspenCluster,
  type AspenCluster,
} from '../../../support/aspen-cluster';
import { scaled } from '../../../support/time-scale';
import { waitFor } from '../../../support/wait-for';

const SEED = 20_261_205;
const MESSAGES = 500;
const KILLS = 20;
const PER_ROUND = MESSAGES / KILLS;
const MAX_DELIVERIES = 5;
const GROUP = 'orders';

// every 50th message fails on every delivery: those must end in the DLQ
const isPoison = (payload: unknown) =>
  ((payload as { n?: number } | null)?.n ?? -1) % 50 === 7;

// A real 3-node cluster (TCP + LevelDB), a test-side timer service and
// competing consumers, and the leader killed at random moments.
describe('GroupsModule on a real cluster', () => {
  let aspen: AspenCluster | undefined;

  afterEach(async () => {
    await aspen?.cleanup();
    aspen = undefined;
  });

  it(
    'ends each of 500 messages acked or dead-lettered when the leader is killed 20 times',
    async () => {
      aspen = await startAspenCluster({ seed: SEED });
      const producer = aspen.client('producer');
      await producer.proposeOk({
        t: 'groups',
        cmd: {
          type: 'create',
          group: GROUP,
          config: {
            pattern_str: 'orders.>',
            visibility_timeout_ms: 1500,
            max_delivery_attempts: MAX_DELIVERIES,
            consumer_heartbeat_timeout_ms: 3000,
          },
        },
      });
      const timers = new LeaderTimers(aspen);
      const consumers = new GroupConsumers(aspen, {
        group: GROUP,
        consumers: 4,
        fetchMax: 4,
        rng: new SeededRng(SEED + 1),
        failRate: 0.1,
        abandonRate: 0.03,
        isPoison,
        workMs: [20, 150],
      });
      timers.start();
      consumers.start();

      // each round publishes its share (and events the group must not take)
      // while the kill of that round waits for its random moment
      const published: string[] = [];
      const publishing: Promise<void>[] = [];
      const publishRound = async (round: number) => {
        for (let n = round * PER_ROUND; n < (round + 1) * PER_ROUND; n++) {
          const { id } = await producer.proposeOk<{ id: EventId }>({
            t: 'publish',
            topic: `orders.created.${n % 7}`,
            payload: { n },
          });
          published[n] = formatEventId(id);
          if (n % 10 === 0) {
            await producer.proposeOk({
              t: 'publish',
              topic: 'audit.created',
              payload: { n },
            });
          }
          await pause(20);
        }
      };
      const killed = await killLeaders(aspen, {
        rounds: KILLS,
        // the kill moments replay from the seed; the consumers' timing not
        rng: new SeededRng(SEED),
        maxGapMs: 1200,
        onRound: (round) => publishing.push(publishRound(round)),
      });
      await Promise.all(publishing);

      // on a timeout, the verdict below shows what was left
      await waitFor(
        () => {
          const groups = aspen!.leaderNode()?.groups;
          const view = groups?.groups().find((g) => g.id === GROUP);
          return view && view.available === 0 && view.pending === 0;
        },
        { timeoutMs: scaled(60_000), what: 'every message to be settled' },
      ).catch(() => undefined);
      await consumers.stop();
      await timers.stop();

      // the verdict comes from a linearizable read at the leader
      const leader = await aspen.readLeader();
      const view = leader.groups.groups().find((g) => g.id === GROUP)!;
      const dlq = leader.groups.dlq(GROUP)!;
      const dead = new Set(dlq.map((entry) => formatEventId(entry.cursor)));
      const acked = consumers.acked();
      const events = leader.machine.eventsFrom(
        leader.machine.earliestEventId(),
      );
      const ackEvents = events
        .filter((e) => e.topic === '$groups.acked')
        .map((e) => formatEventId((e.payload as GroupEvent).cursor!));

      expect(killed).toHaveLength(KILLS);
      expect(new Set(published).size).toBe(MESSAGES);
      expect(leader.groups.pending(GROUP)).toEqual([]);
      expect(view).toMatchObject({ available: 0, pending: 0, dropped: 0 });
      expect(consumers.withoutEvent).toBe(0);
      // none lost: every published message was acked or dead-lettered,
      // never both, and nothing else reached the group
      expect([...acked].filter((cursor) => dead.has(cursor))).toEqual([]);
      expect(new Set([...acked, ...dead])).toEqual(new Set(published));
      // the state acked exactly the deliveries whose ack it answered ok
      expect(ackEvents.length).toBe(acked.size);
      expect(new Set(ackEvents)).toEqual(acked);
      const poisoned = published.filter((_, n) => isPoison({ n }));
      expect(poisoned.length).toBe(MESSAGES / 50);
      for (const cursor of poisoned) {
        const entry = dlq.find((e) => formatEventId(e.cursor) === cursor);
        expect(entry).toMatchObject({
          reason: 'max_attempts_exceeded',
          attempts: MAX_DELIVERIES,
        });
      }

      const handled = [...consumers.handled.values()];
      const redelivered = handled.filter((d) => d.length > 1).length;
      const lostAcks = handled.filter((deliveries) =>
        deliveries.some((d) => d.outcome === 'success' && d.answer !== 'ok'),
      ).length;
      const timedOut = events.filter(
        (e) =>
          e.topic === '$groups.requeued' &&
          (e.payload as GroupEvent).reason === 'visibility_timeout',
      ).length;
      printFigure(
        `group under ${KILLS} leader kills: ${acked.size} acked, ` +
          `${dead.size} in the DLQ, 0 lost; ${redelivered} redelivered, ` +
          `${lostAcks} of them after a successful handling whose ack was ` +
          `fenced; ${timedOut} visibility timeouts, ` +
          `${consumers.rejoins} rejoins, ` +
          `${timers.terms.length} leader terms renewed; ` +
          `${aspen.retries()} proposals resent after an unknown outcome`,
      );
    },
    scaled(150_000),
  );
});
