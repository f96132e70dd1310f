import { join } from 'node:path';

import { readManifest } from '../../engine/cluster/cluster-manifest';
import {
  LocalCluster,
  type LocalClusterOptions,
} from '../../engine/cluster/local-cluster';
import type { Logger } from '../../engine/ports/logger';
import type { Command } from '../../engine/state/commands';
import type { AspenStateMachine } from '../../engine/state/machine';
import type {
  ClusterStatus,
  Notice,
  PushChannel,
  PushMap,
  WorkspaceInfo,
} from '../../preload/contract';

import { clusterStatus } from './cluster-view';
import { CommandClient } from './command-client';
import { StudioError } from './errors';
import { studioLogger } from './file-logger';
import { ForwardClusters } from './forward-clusters';
import {
  noHookRuntime,
  type HookRuntimeContext,
  type HookRuntimeFactory,
} from './hook-runtime';
import { NodeRegistry } from './node-registry';
import { workspaceDataDir } from './paths';
import {
  PushFrames,
  type PushFrameOptions,
  type PushSink,
} from './push-frames';
import { TtlTimer } from './ttl-timer';
import { prepareWorkspace } from './workspace';
import { lockWorkspace } from './workspace-lock';

/** Options of {@link StudioService.open}. */
export interface StudioServiceOptions {
  /**
   * The app's data folder; a workspace's cluster data, lock and logs go
   * under `<dataDir>/workspaces/<sha1 of its real path>`.
   */
  dataDir: string;
  /** Voters of a new cluster, 1–7. @defaultValue 3 */
  size?: number;
  /** A logger, or 'file' for the rotating log file. @defaultValue 'file' */
  logger?: Logger | 'file';
  /** Makes each node's hooks runtime. @defaultValue {@link noHookRuntime} */
  hookRuntime?: HookRuntimeFactory;
  /** Bounds of the pushed frames. */
  frames?: PushFrameOptions;
  /** How long a proposal or read may take (ms). @defaultValue 10000 */
  requestTimeoutMs?: number;
  /** Passed to every node (tick length, snapshot interval…). */
  host?: LocalClusterOptions['host'];
}

/**
 * The studio service: one workspace, its local cluster and everything the
 * front ends ask of it. Electron-free; the Electron window, browser mode
 * and the CLI all drive it through the same contract handlers
 * (see `./studio-handlers`).
 *
 * One process per workspace: a lock file in the workspace's data folder
 * refuses a second opener while the first lives, and is taken over once
 * its process is gone.
 */
export class StudioService {
  private readonly sinks = new Set<PushSink>();
  private readonly undo: (() => void)[] = [];
  private isClosed = false;

  private constructor(
    readonly workspace: WorkspaceInfo,
    readonly cluster: LocalCluster,
    readonly nodes: NodeRegistry,
    readonly client: CommandClient,
    readonly targets: ForwardClusters,
    readonly frames: PushFrames,
    readonly logger: Logger,
    readonly requestTimeoutMs: number,
    private readonly ttl: TtlTimer,
    private readonly closers: (() => Promise<void>)[],
  ) {}

  /**
   * Opens `workspaceDir` (creating it with the example on first run) and
   * starts its cluster from the data kept for it, so cluster data, events,
   * jobs and the DLQ are as the last run left them.
   *
   * @throws `WORKSPACE_LOCKED` when another process has it open.
   */
  static async open(
    workspaceDir: string,
    options: StudioServiceOptions,
  ): Promise<StudioService> {
    const prepared = await prepareWorkspace(workspaceDir);
    const dataDir = workspaceDataDir(options.dataDir, prepared.dir);
    const lock = await lockWorkspace(
      join(dataDir, 'studio.lock'),
      prepared.dir,
    );
    const closers: (() => Promise<void>)[] = [() => lock.release()];
    try {
      return await StudioService.start(prepared, dataDir, options, closers);
    } catch (error) {
      for (const close of closers.reverse()) {
        await close().catch(() => {});
      }
      throw error;
    }
  }

  private static async start(
    prepared: { dir: string; isNew: boolean },
    dataDir: string,
    options: StudioServiceOptions,
    closers: (() => Promise<void>)[],
  ): Promise<StudioService> {
    const root = studioLogger(options.logger, dataDir, closers);
    const logger = root.child({ scope: 'studio' });
    const clusterDir = join(dataDir, 'cluster');
    const size = options.size ?? 3;
    const manifest = await readManifest(clusterDir);
    const voters = Array.from({ length: size }, (_, i) => i + 1);
    const initialConf = manifest?.initialConf ?? { voters, learners: [] };

    // the service is built around a cluster that needs the registry first
    const ref: { service?: StudioService } = {};
    const late = () => {
      const service = ref.service;
      if (service === undefined) {
        throw new StudioError('NOT_OPEN', 'the studio service is starting');
      }
      return service;
    };
    const context: HookRuntimeContext = {
      workspaceDir: prepared.dir,
      logger: root.child({ scope: 'hooks' }),
      propose: (cmd) => late().propose(cmd),
      clusterNow: () => late().clusterNow(),
      terminal: (chunk) => late().frames.terminal(chunk),
      notice: (notice) => late().notice(notice),
      forwardCluster: (name) => late().targets.get(name),
    };
    const nodes = new NodeRegistry(
      initialConf,
      options.hookRuntime ?? noHookRuntime,
      context,
      root,
    );
    const timeoutMs = options.requestTimeoutMs ?? 10_000;
    const cluster = await LocalCluster.start({
      dataDir: clusterDir,
      size,
      logger: root,
      host: { requestTimeoutMs: timeoutMs, ...options.host },
      stateMachine: (id) => nodes.createMachine(id),
    });
    closers.push(() => cluster.dispose());

    const now = () => nodes.clusterNow();
    const client = new CommandClient(cluster, { clusterNow: now, timeoutMs });
    const targets = new ForwardClusters(dataDir, root, () =>
      ref.service?.frames.markStatusDirty(),
    );
    const frames = new PushFrames(
      {
        machine: () => nodes.mostApplied(),
        status: () => late().status(),
      },
      (channel, payload) => ref.service?.broadcast(channel, payload),
      options.frames,
    );
    const ttl = new TtlTimer(
      {
        leaderMachine: () => nodes.machine(cluster.leader() ?? 0),
        clusterNow: now,
        propose: (cmd) => client.propose(cmd),
      },
      logger,
    );
    const workspace = { dir: prepared.dir, dataDir, isNew: prepared.isNew };
    const service = new StudioService(
      workspace,
      cluster,
      nodes,
      client,
      targets,
      frames,
      logger,
      timeoutMs,
      ttl,
      closers,
    );
    ref.service = service;
    service.undo.push(
      nodes.attach(cluster),
      cluster.subscribe(() => frames.markStatusDirty()),
    );
    frames.start();
    ttl.start();
    logger.info('workspace open', { workspace: prepared.dir, dataDir });
    return service;
  }

  /** Adds a destination for pushes; returns the removal. */
  onPush(sink: PushSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Pushes a notice to every front end (`app:notice`) and logs it. */
  notice(notice: Notice): void {
    this.logger[notice.level]('notice', { message: notice.message });
    this.broadcast('app:notice', notice);
  }

  /** Proposes a command through the service's client session. */
  propose(cmd: Command): Promise<unknown> {
    this.assertOpen();
    return this.client.propose(cmd);
  }

  /** Cluster time (Unix ms), never behind what any node has applied. */
  clusterNow(): number {
    return this.nodes.clusterNow();
  }

  /** The cluster's status, with the forward targets. */
  status(): ClusterStatus {
    return clusterStatus(
      this.cluster,
      this.nodes.mostApplied()?.clusterTime ?? 0,
      this.targets.status(),
    );
  }

  /**
   * A machine that may be read linearizably: the leader's, once a
   * ReadIndex round confirmed it.
   *
   * @throws `NO_LEADER` when no leader confirms in time.
   */
  async readMachine(): Promise<AspenStateMachine> {
    this.assertOpen();
    const host = await this.cluster.read(this.requestTimeoutMs);
    const machine = this.nodes.machine(host.id);
    if (machine === undefined) {
      throw new StudioError('NOT_OPEN', `node ${host.id} has no state`);
    }
    return machine;
  }

  /**
   * The machine of the running node that applied the most; it may lag
   * the leader, which is fine for browsing the timeline and the queues.
   *
   * @throws `NO_NODE_RUNNING` when every node is killed.
   */
  localMachine(): AspenStateMachine {
    this.assertOpen();
    const machine = this.nodes.mostApplied();
    if (machine === undefined) {
      throw new StudioError('NO_NODE_RUNNING', 'no node is running');
    }
    return machine;
  }

  /** Stops everything in reverse order of starting; idempotent. */
  async close(): Promise<void> {
    if (this.isClosed) {
      return;
    }
    this.isClosed = true;
    this.frames.stop();
    this.ttl.stop();
    this.undo.splice(0).forEach((undo) => undo());
    await this.nodes.close();
    await this.targets.close();
    for (const close of this.closers.reverse()) {
      await close();
    }
    this.sinks.clear();
  }

  private broadcast<C extends PushChannel>(channel: C, payload: PushMap[C]) {
    for (const sink of this.sinks) {
      try {
        sink(channel, payload);
      } catch (error) {
        this.logger.warn('push failed', { channel, error: String(error) });
      }
    }
  }

  private assertOpen(): void {
    if (this.isClosed) {
      throw new StudioError('NOT_OPEN', 'the studio service is closed');
    }
  }
}
