import type {
  ClusterEvent,
  LocalCluster,
} from '../../engine/cluster/local-cluster';
import type { Logger } from '../../engine/ports/logger';
import type { ConfState } from '../../engine/raft/types';
import { HookJobsModule } from '../../engine/hooks/dispatch/hook-jobs-module';
import { registerHookJobs } from '../../engine/hooks/dispatch/hook-machine';
import { GroupsModule } from '../../engine/state/groups/groups-module';
import { JobsModule } from '../../engine/state/jobs/jobs-module';
import { AspenStateMachine } from '../../engine/state/machine';

import type {
  HookRuntime,
  HookRuntimeContext,
  HookRuntimeFactory,
} from './hook-runtime';

/**
 * The state machine and hook runtime of every node incarnation. The
 * cluster asks for a fresh machine on every start and restart; the latest
 * one per node is what the service reads. A runtime starts when its node
 * runs and stops when it is killed, removed or stopped.
 *
 * Paused (an untrusted workspace), the registry makes no runtime at all:
 * the factory is not even called, so whatever runtime is plugged in, no
 * handler of the workspace can run. The nodes still apply and record
 * every event. Resuming starts a runtime on every running node.
 */
export class NodeRegistry {
  private readonly machines = new Map<number, AspenStateMachine>();
  private readonly jobModules = new WeakMap<AspenStateMachine, JobsModule>();
  private readonly runtimes = new Map<number, HookRuntime>();
  private readonly stopping = new Set<Promise<void>>();
  private cluster?: LocalCluster;

  constructor(
    private readonly initialConf: ConfState,
    private readonly runtimeFactory: HookRuntimeFactory,
    private readonly runtimeContext: HookRuntimeContext,
    private readonly logger: Logger,
    private paused: boolean,
  ) {}

  /** Whether handlers are paused (no runtime runs). */
  get isPaused(): boolean {
    return this.paused;
  }

  /**
   * Pauses handlers (every runtime stops, as on a kill) or resumes them
   * (a runtime starts on every running node); resolves once stopped.
   */
  async setPaused(isPaused: boolean): Promise<void> {
    this.paused = isPaused;
    if (isPaused) {
      await this.close();
      return;
    }
    for (const id of this.cluster?.nodeIds() ?? []) {
      this.startRuntime(id);
    }
  }

  /**
   * Asks every running runtime to load its handler modules afresh; the
   * number of runtimes that could.
   */
  async reloadHandlers(): Promise<number> {
    const runtimes = [...this.runtimes.values()].filter(
      (runtime) => runtime.reloadHandlers !== undefined,
    );
    await Promise.all(runtimes.map((runtime) => runtime.reloadHandlers?.()));
    return runtimes.length;
  }

  /** A fresh machine for node `id` (the cluster's `stateMachine` option). */
  createMachine(id: number): AspenStateMachine {
    // job-mode hooks become jobs at apply time, on every replica
    const jobs = new JobsModule();
    const hookJobs = new HookJobsModule(jobs);
    const machine = new AspenStateMachine({
      modules: { jobs: hookJobs, groups: new GroupsModule() },
      initialConf: this.initialConf,
      logger: this.logger.child({ node: id }),
    });
    registerHookJobs(machine, hookJobs);
    this.machines.set(id, machine);
    this.jobModules.set(machine, jobs);
    return machine;
  }

  /** The jobs module inside `machine`, for the queue views. */
  jobs(machine: AspenStateMachine): JobsModule | undefined {
    return this.jobModules.get(machine);
  }

  /** Starts runtimes for the nodes already running, then follows events. */
  attach(cluster: LocalCluster): () => void {
    this.cluster = cluster;
    for (const id of cluster.nodeIds()) {
      if (cluster.host(id) !== undefined) {
        this.startRuntime(id);
      }
    }
    return cluster.subscribe((event) => this.onClusterEvent(event));
  }

  /** The machine of node `id`'s current incarnation. */
  machine(id: number): AspenStateMachine | undefined {
    return this.machines.get(id);
  }

  /** The machine of the running node that has applied the most. */
  mostApplied(): AspenStateMachine | undefined {
    let best: AspenStateMachine | undefined;
    for (const id of this.cluster?.nodeIds() ?? []) {
      const machine = this.machines.get(id);
      if (this.cluster?.host(id) === undefined || machine === undefined) {
        continue;
      }
      if (!best || machine.lastApplied.index > best.lastApplied.index) {
        best = machine;
      }
    }
    return best;
  }

  /**
   * Cluster time (Unix ms): the cluster's job clock, so entries and TTLs
   * follow slow motion and fast-forward; never behind any node's state.
   */
  clusterNow(): number {
    let latest = 0;
    for (const machine of this.machines.values()) {
      latest = Math.max(latest, machine.clusterTime);
    }
    // before attach there is no cluster yet, so no job clock either
    const now = this.cluster?.timeControl.jobNow() ?? Date.now();
    return Math.max(now, latest);
  }

  /** Every running runtime. */
  activeRuntimes(): HookRuntime[] {
    return [...this.runtimes.values()];
  }

  /** Stops every runtime; waits for the ones already stopping. */
  async close(): Promise<void> {
    for (const id of [...this.runtimes.keys()]) {
      this.stopRuntime(id);
    }
    await Promise.all(this.stopping);
  }

  private onClusterEvent(event: ClusterEvent): void {
    if (event.type === 'node' && event.state === 'running') {
      this.startRuntime(event.node);
    } else if (event.type === 'node' || event.type === 'stopped') {
      this.stopRuntime(event.node);
    }
    if (event.type === 'node' && event.state === 'removed') {
      this.machines.delete(event.node);
    }
  }

  private startRuntime(id: number): void {
    const host = this.cluster?.host(id);
    const machine = this.machines.get(id);
    if (this.paused || host === undefined || machine === undefined) {
      return;
    }
    if (this.runtimes.has(id)) {
      return;
    }
    const runtime = this.runtimeFactory(this.runtimeContext);
    this.runtimes.set(id, runtime);
    void Promise.resolve()
      .then(() => runtime.start({ id, host, machine }))
      .catch((error: unknown) => {
        const why = error instanceof Error ? error.message : String(error);
        this.runtimeContext.notice({
          level: 'error',
          message: `hooks on node ${id} did not start: ${why}`,
        });
      });
  }

  private stopRuntime(id: number): void {
    const runtime = this.runtimes.get(id);
    if (runtime === undefined) {
      return;
    }
    this.runtimes.delete(id);
    const done = runtime
      .stop()
      .catch((error: unknown) =>
        this.logger.error('hook runtime failed to stop', {
          node: id,
          error: String(error),
        }),
      )
      .finally(() => this.stopping.delete(done));
    this.stopping.add(done);
  }
}
