import { createHash } from 'node:crypto';
import { join } from 'node:path';

import { LocalCluster } from '../../engine/cluster/local-cluster';
import type { Logger } from '../../engine/ports/logger';
import { AspenStateMachine } from '../../engine/state/machine';
import type { TargetClusterStatus } from '../../preload/contract';

import { CommandClient } from './command-client';
import { nodeStatuses } from './cluster-view';
import type { ForwardCluster } from './hook-runtime';

interface Target {
  name: string;
  cluster: LocalCluster;
  machine: AspenStateMachine;
  client: CommandClient;
}

/**
 * The second local clusters that forward handlers target, one node each,
 * started on first use and kept in the workspace's data folder, so what
 * was forwarded survives a restart like everything else.
 */
export class ForwardClusters {
  private readonly targets = new Map<string, Promise<Target>>();
  private readonly started: Target[] = [];
  private isClosed = false;

  constructor(
    private readonly dataDir: string,
    private readonly logger: Logger,
    private readonly onChange: () => void,
  ) {}

  /** The target cluster `name`, started when first asked for. */
  get(name: string): Promise<ForwardCluster> {
    let target = this.targets.get(name);
    if (target === undefined) {
      target = this.start(name);
      this.targets.set(name, target);
      target.catch(() => this.targets.delete(name));
    }
    return target.then(({ client }) => ({
      name,
      propose: (cmd) => client.propose(cmd),
    }));
  }

  /** Status of every target started so far. */
  status(): TargetClusterStatus[] {
    return this.started.map(({ name, cluster }) => ({
      name,
      leader: cluster.leader() ?? null,
      nodes: nodeStatuses(cluster),
    }));
  }

  /** Stops every target cluster. */
  async close(): Promise<void> {
    this.isClosed = true;
    const all = await Promise.allSettled(this.targets.values());
    await Promise.all(
      all
        .flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
        .map((target) => target.cluster.dispose()),
    );
  }

  private async start(name: string): Promise<Target> {
    // names can be production tickets: hash them into a folder name
    const key = createHash('sha1').update(name).digest('hex').slice(0, 16);
    let machine: AspenStateMachine | undefined;
    const cluster = await LocalCluster.start({
      dataDir: join(this.dataDir, 'targets', key),
      size: 1,
      logger: this.logger.child({ target: name }),
      stateMachine: () => {
        machine = new AspenStateMachine({
          initialConf: { voters: [1], learners: [] },
        });
        return machine;
      },
    });
    if (this.isClosed) {
      await cluster.dispose();
      throw new Error('the studio service is closing');
    }
    const client = new CommandClient(cluster, {
      clusterNow: () =>
        Math.max(cluster.timeControl.jobNow(), machine?.clusterTime ?? 0),
    });
    const target = { name, cluster, machine: machine!, client };
    this.started.push(target);
    cluster.subscribe(() => this.onChange());
    this.onChange();
    return target;
  }
}
