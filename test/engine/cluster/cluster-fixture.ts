import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  LocalCluster,
  type LocalClusterOptions,
} from '../../../engine/cluster/local-cluster';
import type { NodeId } from '../../../engine/raft/types';
import { TestKvMachine } from '../../support/test-kv-machine';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';

/** A real cluster in a temp folder, with each node's state machine. */
export interface ClusterFixture {
  cluster: LocalCluster;
  dataDir: string;
  machines: Map<NodeId, TestKvMachine>;
  /** Starts the cluster again on the same data (a whole-cluster restart). */
  reopen(): Promise<LocalCluster>;
  cleanup(): Promise<void>;
}

/** Starts a real TCP + LevelDB cluster for one test. */
export async function startCluster(
  options: Partial<LocalClusterOptions> = {},
): Promise<ClusterFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aspen-cluster-'));
  const machines = new Map<NodeId, TestKvMachine>();
  const open = () =>
    LocalCluster.start({
      size: 3,
      seed: 7,
      ...options,
      dataDir,
      stateMachine: (id) => {
        const machine = new TestKvMachine();
        machines.set(id, machine);
        return machine;
      },
    });
  const fixture: ClusterFixture = {
    cluster: await open(),
    dataDir,
    machines,
    async reopen() {
      fixture.cluster = await open();
      return fixture.cluster;
    },
    async cleanup() {
      await fixture.cluster.dispose();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Waits for a leader and returns its id. */
export function waitForLeader(
  cluster: LocalCluster,
  timeoutMs = 5_000,
): Promise<NodeId> {
  return waitFor(() => cluster.leader(), {
    timeoutMs: scaled(timeoutMs),
    what: 'a leader',
  });
}
