// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';

import type { NodeId } from '../../../../engine/raft/types';
import type { PublishMessage } from '../../../../engine/state/commands';
import {
  compareEventIds,
  formatEventId,
} from '../../../../engine/state/event-id';
import { CompactedError } from '../../../../engine/state/events';
import type { EventId, StateEvent } from '../../../../engine/state/module';
import {
  startAspenCluster,
  type AspenCluster,
  type AspenNode,
  type SessionClient,
} from '../../../support/aspen-cluster';
import { scaled } from '../../../support/time-scale';
import { waitFor } from '../../../support/wait-for';

/** A user event as its publish reported it. */
interface Published {
  id: EventId;
  topic: string;
  payload: unknown;
}

const atOrAfter = (from: EventId) => (event: { id: EventId }) =>
  compareEventIds(event.id, from) >= 0;

const upTo = (index: number) => (event: { id: EventId }) =>
  event.id.index <= index;

/** One `publish` entry, or one `publishBatch` for several messages. */
async function publishEntry(
  client: SessionClient,
  messages: PublishMessage[],
): Promise<EventId[]> {
  if (messages.length === 1) {
    const cmd = { t: 'publish' as const, ...messages[0]! };
    return [(await client.proposeOk<{ id: EventId }>(cmd)).id];
  }
  const cmd = { t: 'publishBatch' as const, messages };
  return (await client.proposeOk<{ ids: EventId[] }>(cmd)).ids;
}

/**
 * Publishes `units` commands from 8 concurrent publishers: every fourth a
 * batch of three (one entry, offsets 0–2), the rest single events.
 */
async function publish(
  client: SessionClient,
  units: number,
  first = 0,
): Promise<Published[]> {
  const published: Published[] = [];
  let next = first;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < first + units) {
        const unit = next++;
        const messages = Array.from(
          { length: unit % 4 === 0 ? 3 : 1 },
          (_, part) => ({
            topic: `replay.unit${unit % 5}`,
            payload: { unit, part },
          }),
        );
        const ids = await publishEntry(client, messages);
        ids.forEach((id, i) => published.push({ id, ...messages[i]! }));
      }
    }),
  );
  return published.sort((a, b) => compareEventIds(a.id, b.id));
}

/**
 * Where replays start: the earliest retained id, entry starts across the
 * log, mid-batch, and past the end.
 */
function startsOf(published: Published[], earliest: EventId): EventId[] {
  const batch = published.find((p) => p.id.offset === 2)!.id;
  const picks = [0.1, 0.35, 0.6, 0.85, 1].map(
    (share) => published[Math.floor(share * (published.length - 1))]!.id,
  );
  const last = published[published.length - 1]!.id.index;
  return [
    earliest,
    ...picks.map(({ index }) => ({ index, offset: 0 })),
    { index: batch.index, offset: 1 },
    { index: last + 1, offset: 0 },
  ];
}

/**
 * Replays from `from` on `node` and checks the answer: in log order, none
 * before `from`, the user events exactly those published at or after it.
 */
function replay(
  node: AspenNode,
  from: EventId,
  published: Published[],
): StateEvent[] {
  const got = node.machine.eventsFrom(from);
  for (let i = 1; i < got.length; i++) {
    expect(compareEventIds(got[i - 1]!.id, got[i]!.id)).toBeLessThan(0);
  }
  expect(got.filter((event) => !atOrAfter(from)(event))).toEqual([]);
  const user = got
    .filter((event) => event.topic.startsWith('replay.'))
    .map(({ id, topic, payload }) => ({ id, topic, payload }));
  expect(user).toEqual(published.filter(atOrAfter(from)));
  return got;
}

function follower(aspen: AspenCluster): NodeId {
  const leader = aspen.cluster.leader();
  return aspen.cluster.nodeIds().find((id) => id !== leader)!;
}

async function restart(aspen: AspenCluster, id: NodeId): Promise<AspenNode> {
  await aspen.cluster.kill(id);
  await aspen.cluster.restart(id);
  await aspen.waitCaughtUp(id);
  return aspen.nodes.get(id)!;
}

function compactedError(node: AspenNode, from: EventId): CompactedError {
  try {
    node.machine.eventsFrom(from);
  } catch (error) {
    if (error instanceof CompactedError) {
      return error;
    }
    throw error;
  }
  throw new Error(`replay from ${formatEventId(from)} was not refused`);
}

// Replay on a real 3-node cluster (TCP + LevelDB): a node's answer must
// not depend on whether it applied the log, replayed it after a restart
// or was handed a snapshot (DESIGN §3.3).
describe('AspenStateMachine.eventsFrom() on a real cluster', () => {
  let aspen: AspenCluster | undefined;

  afterEach(async () => {
    await aspen?.cleanup();
    aspen = undefined;
  });

  it('returns exactly the events from an index on, in log order, before and after a node restarts', async () => {
    aspen = await startAspenCluster({ seed: 31 });
    const published = await publish(aspen.client('publisher'), 120);
    const id = follower(aspen);
    await aspen.waitCaughtUp(id);
    const node = aspen.nodes.get(id)!;
    const applied = node.machine.lastApplied.index;
    const starts = startsOf(published, node.machine.earliestEventId());

    // the follower's answer is the stream it applied, cut at `from`
    const before = starts.map((from) => replay(node, from, published));
    starts.forEach((from, i) => {
      const expected = node.applied.filter(atOrAfter(from));
      expect(before[i]).toEqual(expected.filter(upTo(applied)));
    });
    expect(before.at(-1)).toEqual([]);

    const restarted = await restart(aspen, id);
    expect(restarted).not.toBe(node);
    starts.forEach((from, i) => {
      const after = replay(restarted, from, published);
      expect(after.filter(upTo(applied))).toEqual(before[i]);
    });
  });

  it('returns the same events on a node that caught up by snapshot', async () => {
    aspen = await startAspenCluster({
      seed: 32,
      snapshotEvery: 40,
      raft: { compactionTrailingEntries: 0 },
    });
    const client = aspen.client('publisher');
    const early = await publish(client, 40);
    const behind = follower(aspen);
    await aspen.waitCaughtUp(behind);
    await aspen.cluster.kill(behind);
    const late = await publish(client, 150, 40);
    const published = [...early, ...late];

    // the leader compacted its log past what the killed node holds
    const installed: number[] = [];
    aspen.cluster.subscribe((event) => {
      const isOurs = event.type === 'snapshot' && event.node === behind;
      if (isOurs && event.source === 'installed') {
        installed.push(event.index);
      }
    });
    await aspen.cluster.restart(behind);
    await aspen.waitCaughtUp(behind);
    await waitFor(() => installed.length > 0, {
      timeoutMs: scaled(10_000),
      what: `node ${behind} to install a snapshot`,
    });
    const caughtUp = aspen.nodes.get(behind)!;
    const snapshotAt = installed[0]!;
    expect(snapshotAt).toBeGreaterThan(early.at(-1)!.id.index);
    // what it replays below the snapshot came from the snapshot alone
    expect(caughtUp.applied.filter(upTo(snapshotAt))).toEqual([]);

    const leader = await aspen.readLeader();
    const applied = leader.machine.lastApplied.index;
    await aspen.waitCaughtUp(behind);
    const starts = startsOf(published, leader.machine.earliestEventId());
    const expected = starts.map((from) =>
      replay(leader, from, published).filter(upTo(applied)),
    );
    starts.forEach((from, i) => {
      const got = replay(caughtUp, from, published);
      expect(got.filter(upTo(applied))).toEqual(expected[i]);
    });

    // a node that restarts from its own snapshot answers the same
    const other = aspen.cluster
      .nodeIds()
      .find((id) => id !== behind && id !== leader.id)!;
    const reloaded = await restart(aspen, other);
    const firstApplied = reloaded.applied[0]?.id.index ?? Infinity;
    expect(firstApplied).toBeGreaterThan(early.at(-1)!.id.index);
    starts.forEach((from, i) => {
      const got = replay(reloaded, from, published);
      expect(got.filter(upTo(applied))).toEqual(expected[i]);
    });
  });

  it('refuses replay below retention with COMPACTED naming the earliest id', async () => {
    aspen = await startAspenCluster({
      seed: 33,
      retention: { maxEvents: 100 },
      snapshotEvery: 60,
      raft: { compactionTrailingEntries: 0 },
    });
    const published = await publish(aspen.client('publisher'), 200);
    const leader = await aspen.readLeader();
    const ids = aspen.cluster.nodeIds();
    await Promise.all(ids.map((id) => aspen!.waitCaughtUp(id)));
    const earliest = leader.machine.earliestEventId();
    const retained = published.filter(atOrAfter(earliest));
    expect(retained.length).toBeGreaterThan(0);
    expect(retained.length).toBeLessThan(published.length);

    const check = (node: AspenNode) => {
      expect(node.machine.earliestEventId()).toEqual(earliest);
      const window = replay(node, earliest, published);
      expect(window).toHaveLength(100);
      expect(window[0]!.id).toEqual(earliest);
      const trimmed = published.filter((p) => !atOrAfter(earliest)(p));
      const below = [{ index: 1, offset: 0 }, trimmed.at(-1)!.id];
      for (const from of below) {
        const error = compactedError(node, from);
        expect(error.code).toBe('COMPACTED');
        expect(error.earliest).toEqual(earliest);
        expect(error.message).toContain(formatEventId(earliest));
      }
    };
    ids.forEach((id) => check(aspen!.nodes.get(id)!));

    // restored from its own snapshot, a node names the same earliest id
    const id = follower(aspen);
    check(await restart(aspen, id));
  });
});
