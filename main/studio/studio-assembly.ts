import { join } from 'node:path';

import { readManifest } from '../../engine/cluster/cluster-manifest';
import {
  LocalCluster,
  type LocalClusterOptions,
} from '../../engine/cluster/local-cluster';
import { createHookRuntimeFactory } from '../../engine/hooks/dispatch/hook-runtime-adapter';
import type { Logger } from '../../engine/ports/logger';

import { CommandClient } from './command-client';
import { ConfigWatch } from './config-watch';
import { studioLogger } from './file-logger';
import { ForwardClusters } from './forward-clusters';
import type { HookRuntimeContext, HookRuntimeFactory } from './hook-runtime';
import { NodeRegistry } from './node-registry';
import { PushFrames, type PushFrameOptions } from './push-frames';
import type { StudioService } from './studio-service';
import { TtlTimer } from './ttl-timer';
import type { OpenedWorkspace, OpenOptions } from './workspace-open';

/** Options of `StudioService.open`. */
export interface StudioServiceOptions extends OpenOptions {
  /**
   * The app's data folder; a workspace's cluster data, lock and logs go
   * under `<dataDir>/workspaces/<sha1 of its real path>`, and the trust
   * and recent lists beside them.
   */
  dataDir: string;
  /** Voters of a new cluster, 1–7. @defaultValue 3 */
  size?: number;
  /** A logger, or 'file' for the rotating log file. @defaultValue 'file' */
  logger?: Logger | 'file';
  /** Makes each node's hooks runtime. @defaultValue the hooks dispatcher */
  hookRuntime?: HookRuntimeFactory;
  /** Bounds of the pushed frames. */
  frames?: PushFrameOptions;
  /** How long a proposal or read may take (ms). @defaultValue 10000 */
  requestTimeoutMs?: number;
  /** Passed to every node (tick length, snapshot interval…). */
  host?: LocalClusterOptions['host'];
  /** Quiet time before outside edits are read (ms). @defaultValue 100 */
  watchDebounceMs?: number;
  /**
   * The cluster's starting speed, 1/100 to 1000 (0.05 plays it at 1/20×).
   * @defaultValue 1
   */
  timeScale?: number;
}

/** Everything a running studio service is made of. */
export interface ServiceParts {
  opened: OpenedWorkspace;
  cluster: LocalCluster;
  nodes: NodeRegistry;
  client: CommandClient;
  targets: ForwardClusters;
  frames: PushFrames;
  watch: ConfigWatch;
  ttl: TtlTimer;
  logger: Logger;
  requestTimeoutMs: number;
  /** Undone in reverse order when the service closes. */
  closers: (() => Promise<void>)[];
}

/**
 * Builds and starts the pieces of a studio service on an opened
 * workspace. The pieces call back into the service through `late`, which
 * throws until the service exists (nothing calls it before then except a
 * hooks runtime, which is told the service is starting).
 */
export async function assembleService(
  opened: OpenedWorkspace,
  options: StudioServiceOptions,
  closers: (() => Promise<void>)[],
  late: () => StudioService,
): Promise<ServiceParts> {
  const root = studioLogger(options.logger, opened.dataDir, closers);
  const logger = root.child({ scope: 'studio' });
  const clusterDir = join(opened.dataDir, 'cluster');
  const size = options.size ?? 3;
  const manifest = await readManifest(clusterDir);
  const voters = Array.from({ length: size }, (_, i) => i + 1);
  const initialConf = manifest?.initialConf ?? { voters, learners: [] };

  const context: HookRuntimeContext = {
    workspaceDir: opened.dir,
    logger: root.child({ scope: 'hooks' }),
    propose: (cmd) => late().propose(cmd),
    clusterNow: () => late().clusterNow(),
    terminal: (chunk) => late().frames.terminal(chunk),
    notice: (notice) => late().notice(notice),
    forwardCluster: (name) => late().targets.get(name),
  };
  const nodes = new NodeRegistry(
    initialConf,
    options.hookRuntime ?? createHookRuntimeFactory(),
    context,
    root,
    opened.trustedBy === null,
  );
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const cluster = await LocalCluster.start({
    dataDir: clusterDir,
    size,
    logger: root,
    host: { requestTimeoutMs, ...options.host },
    stateMachine: (id) => nodes.createMachine(id),
    timeScale: options.timeScale,
  });
  closers.push(() => cluster.dispose());

  const now = () => nodes.clusterNow();
  const client = new CommandClient(cluster, {
    clusterNow: now,
    timeoutMs: requestTimeoutMs,
  });
  const targets = new ForwardClusters(opened.dataDir, root, () =>
    late().frames.markStatusDirty(),
  );
  const frames = new PushFrames(
    { machine: () => nodes.mostApplied(), status: () => late().status() },
    (channel, payload) => late().broadcast(channel, payload),
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
  const watch = new ConfigWatch({
    workspaceDir: opened.dir,
    applied: () => nodes.mostApplied()?.hooksConfig(),
    onPending: (state) => late().broadcast('config:pending', state),
    onHandlersChanged: (files) => void late().handlersChanged(files),
    logger,
    debounceMs: options.watchDebounceMs,
  });
  return {
    opened,
    cluster,
    nodes,
    client,
    targets,
    frames,
    watch,
    ttl,
    logger,
    requestTimeoutMs,
    closers,
  };
}
