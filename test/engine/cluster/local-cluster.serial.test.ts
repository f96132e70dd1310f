// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';

import {
  startCluster,
  waitForLeader,
  type ClusterFixture,
} from './cluster-fixture';
import type { NodeEvent } from '../../../engine/node/node-events';
import { AspenError } from '../../../engine/util/errors';
import { putCommand } from '../../support/test-kv-machine';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';

// Real nodes: TCP on 127.0.0.1 and one LevelDB directory each.
describe('LocalCluster', () => {
  let fixture: ClusterFixture | undefined;

  afterEach(async () => {
    await fixture?.cleanup();
    fixture = undefined;
  });

  /** Writes `count` values from `clients` concurrent writers; acked keys. */
  async function writeMany(
    prefix: string,
    count: number,
    clients = 8,
  ): Promise<string[]> {
    const cluster = fixture!.cluster;
    const acked: string[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < count) {
          const key = `${prefix}-${next++}`;
          try {
            await cluster.propose(putCommand(key, key), scaled(10_000));
            acked.push(key);
          } catch (error) {
            // an unknown outcome is allowed under faults; it is not acked
            if (!(error instanceof AspenError)) {
              throw error;
            }
          }
        }
      }),
    );
    return acked;
  }

  async function expectAllApplied(keys: string[]): Promise<void> {
    const cluster = fixture!.cluster;
    const leader = await cluster.read(scaled(10_000));
    const machine = fixture!.machines.get(leader.id)!;
    const missing = keys.filter((key) => machine.values.get(key) !== key);
    expect(missing).toEqual([]);
  }

  it('elects a leader within 2 s of start', async () => {
    fixture = await startCluster();
    const leader = await waitForLeader(fixture.cluster, 2_000);
    expect(fixture.cluster.nodeIds()).toContain(leader);
    const leaders = fixture.cluster.status().filter((s) => s.role === 'leader');
    expect(leaders).toHaveLength(1);
  });

  it('elects a new leader after the leader is killed, and writes resume', async () => {
    fixture = await startCluster();
    const { cluster } = fixture;
    const first = await waitForLeader(cluster);
    const before = await writeMany('before', 50);
    expect(before).toHaveLength(50);

    await cluster.kill(first);
    const second = await waitForLeader(cluster);
    expect(second).not.toBe(first);
    const after = await writeMany('after', 50);
    expect(after).toHaveLength(50);
    await expectAllApplied([...before, ...after]);
  });

  it('steps down a leader cut off in a minority and never acks its write', async () => {
    fixture = await startCluster();
    const { cluster } = fixture;
    const old = await waitForLeader(cluster);
    const others = cluster.nodeIds().filter((id) => id !== old);
    cluster.partition([[old], others]);

    const oldHost = cluster.host(old)!;
    const orphan = oldHost.propose(putCommand('orphan', 'orphan'));
    const outcome = orphan.then(
      () => 'acked',
      (error: AspenError) => error.code,
    );
    await waitFor(() => oldHost.status().role !== 'leader', {
      timeoutMs: scaled(5_000),
      what: 'the isolated leader to step down',
    });
    const majorityLeader = await waitFor(
      () => {
        const id = cluster.leader();
        return id !== undefined && id !== old ? id : undefined;
      },
      { timeoutMs: scaled(5_000), what: 'a majority leader' },
    );
    expect(others).toContain(majorityLeader);
    await writeMany('majority', 20);

    cluster.heal();
    expect(await outcome).not.toBe('acked');
    await waitFor(() => fixture!.machines.get(old)!.values.has('majority-19'), {
      timeoutMs: scaled(5_000),
      what: 'the old leader to catch up',
    });
    for (const machine of fixture.machines.values()) {
      expect(machine.values.has('orphan')).toBe(false);
    }
  });

  it('loses no acknowledged write when every node is killed and restarted', async () => {
    fixture = await startCluster();
    await waitForLeader(fixture.cluster);
    const acked = await writeMany('durable', 300, 32);
    expect(acked.length).toBe(300);

    for (const id of fixture.cluster.nodeIds()) {
      await fixture.cluster.kill(id);
    }
    await fixture.cluster.dispose();
    fixture.machines.clear();
    const cluster = await fixture.reopen();
    await waitForLeader(cluster);
    await expectAllApplied(acked);
  });

  it('catches up a node added while writes flow, by snapshot once compacted', async () => {
    // a short log tail, so the new node cannot catch up from the log alone
    fixture = await startCluster({
      host: { snapshotEvery: 100, raft: { compactionTrailingEntries: 10 } },
    });
    const { cluster } = fixture;
    await waitForLeader(cluster);
    const early = await writeMany('early', 400);
    const snapshots: NodeEvent[] = [];
    cluster.subscribe((event) => {
      if (event.type === 'snapshot') {
        snapshots.push(event);
      }
    });

    const flowing = writeMany('during', 200);
    const added = await cluster.addNode(scaled(20_000));
    const during = await flowing;
    const status = cluster.host(added)!.status();
    expect(status.conf.voters).toContain(added);

    const all = [...early, ...during];
    await waitFor(
      () => all.every((k) => fixture!.machines.get(added)!.values.has(k)),
      { timeoutMs: scaled(10_000), what: 'the new node to hold every value' },
    );
    const installed = snapshots.filter(
      (event) =>
        event.type === 'snapshot' &&
        event.node === added &&
        event.source === 'installed' &&
        event.index > 0,
    );
    expect(installed.length).toBeGreaterThan(0);
  });

  it('loses no acknowledged write when leadership moves under load', async () => {
    fixture = await startCluster();
    const { cluster } = fixture;
    const first = await waitForLeader(cluster);
    const target = cluster.nodeIds().find((id) => id !== first)!;

    const flowing = writeMany('transfer', 400, 16);
    await waitFor(() => fixture!.machines.get(first)!.values.size > 50, {
      timeoutMs: scaled(10_000),
      what: 'writes to flow',
    });
    await cluster.transferLeadership(target);
    await waitFor(() => cluster.leader() === target, {
      timeoutMs: scaled(5_000),
      what: `node ${target} to lead`,
    });
    const acked = await flowing;
    expect(acked.length).toBeGreaterThan(0);
    await expectAllApplied(acked);
  });

  it('leaves no timer, socket or file handle behind after dispose()', async () => {
    const before = countResources();
    fixture = await startCluster();
    await waitForLeader(fixture.cluster);
    await writeMany('leak', 20);
    await fixture.cleanup();
    fixture = undefined;
    await waitFor(() => sameResources(before, countResources()), {
      timeoutMs: scaled(5_000),
      what: `resources to be released: ${JSON.stringify(countResources())}`,
    });
  });
});

function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) {
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

function sameResources(
  before: Record<string, number>,
  after: Record<string, number>,
): boolean {
  const watched = [
    'TCPSocketWrap',
    'TCPServerWrap',
    'Timeout',
    'FSReqCallback',
  ];
  return watched.every((name) => (after[name] ?? 0) <= (before[name] ?? 0));
}
