import type { LocalCluster } from '../../engine/cluster/local-cluster';
import type { Logger } from '../../engine/ports/logger';
import type { Command } from '../../engine/state/commands';
import type { AspenStateMachine } from '../../engine/state/machine';
import type {
  ClusterStatus,
  ConfigPending,
  Notice,
  PushChannel,
  PushMap,
  WorkspaceInfo,
} from '../../preload/contract';

import { clusterStatus } from './cluster-view';
import type { CommandClient } from './command-client';
import { StudioError } from './errors';
import type { ForwardClusters } from './forward-clusters';
import { reloadHandlers } from './handler-modules';
import type { NodeRegistry } from './node-registry';
import type { PushFrames, PushSink } from './push-frames';
import { RecentWorkspaces } from './recent-workspaces';
import {
  assembleService,
  type ServiceParts,
  type StudioServiceOptions,
} from './studio-assembly';
import { openWorkspaceData } from './workspace-open';

export type { StudioServiceOptions };

/** A notice as kept for diagnostics, with when it was given. */
export interface TimedNotice extends Notice {
  /** ISO 8601. */
  at: string;
}

/** Notices kept for the diagnostics bundle. */
const KEPT_NOTICES = 200;

/**
 * The studio service: one workspace, its local cluster and everything the
 * front ends ask of it. Electron-free; the Electron window, browser mode
 * and the CLI all drive it through the same contract handlers
 * (see `./studio-handlers`).
 *
 * One process per workspace: an OS-level lock in the workspace's data
 * folder refuses a second opener, naming the holder. An untrusted
 * workspace runs its cluster with handlers paused (see `./node-registry`).
 * Outside edits of hooks.toml and handlers/ are watched (see
 * `./config-watch`).
 */
export class StudioService {
  private readonly sinks = new Set<PushSink>();
  private readonly undo: (() => void)[] = [];
  private readonly notices: TimedNotice[] = [];
  private isClosed = false;

  readonly cluster: LocalCluster;
  readonly nodes: NodeRegistry;
  readonly client: CommandClient;
  readonly targets: ForwardClusters;
  readonly frames: PushFrames;
  readonly logger: Logger;
  readonly requestTimeoutMs: number;

  private constructor(private readonly parts: ServiceParts) {
    this.cluster = parts.cluster;
    this.nodes = parts.nodes;
    this.client = parts.client;
    this.targets = parts.targets;
    this.frames = parts.frames;
    this.logger = parts.logger;
    this.requestTimeoutMs = parts.requestTimeoutMs;
  }

  /**
   * Opens `workspaceDir` (creating it with the example on first run) and
   * starts its cluster from the data kept for it, so cluster data, events,
   * jobs and the DLQ are as the last run left them.
   *
   * @throws `WORKSPACE_LOCKED` when another process has it open (the
   *   message names it); `UNSUPPORTED_FORMAT` when its data was written
   *   by a newer studio (the message says how to get past it).
   */
  static async open(
    workspaceDir: string,
    options: StudioServiceOptions,
  ): Promise<StudioService> {
    const opened = await openWorkspaceData(workspaceDir, options);
    const closers: (() => Promise<void>)[] = [() => opened.lock.release()];
    const ref: { service?: StudioService } = {};
    const late = () => {
      if (ref.service === undefined) {
        throw new StudioError('NOT_OPEN', 'the studio service is starting');
      }
      return ref.service;
    };
    try {
      const parts = await assembleService(opened, options, closers, late);
      ref.service = new StudioService(parts);
    } catch (error) {
      for (const close of closers.reverse()) {
        await close().catch(() => {});
      }
      throw error;
    }
    await ref.service.begin(options);
    return ref.service;
  }

  /** The open workspace and whether it is trusted. */
  get workspace(): WorkspaceInfo {
    const { dir, dataDir, isNew, trustedBy } = this.parts.opened;
    return { dir, dataDir, isNew, isTrusted: trustedBy !== null, trustedBy };
  }

  /** The app's data folder (trust, recent list, diagnostics). */
  get home(): string {
    return this.parts.opened.home;
  }

  /** Who holds the workspace's lock: this process, described. */
  get lockHolder() {
    return this.parts.opened.lock.holder;
  }

  /** The on-disk formats found when the workspace opened. */
  get formats() {
    return this.parts.opened.formats;
  }

  /** Adds a destination for pushes; returns the removal. */
  onPush(sink: PushSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** Pushes a notice to every front end (`app:notice`) and logs it. */
  notice(notice: Notice): void {
    this.logger[notice.level]('notice', { message: notice.message });
    this.notices.push({ ...notice, at: new Date().toISOString() });
    this.notices.splice(0, this.notices.length - KEPT_NOTICES);
    this.broadcast('app:notice', notice);
  }

  /** The latest notices, oldest first. */
  recentNotices(): TimedNotice[] {
    return this.notices.map((notice) => ({ ...notice }));
  }

  /**
   * Trusts the workspace (remembered on this machine; handlers start on
   * every running node) or takes the trust back (handlers stop).
   *
   * @throws `UNSUPPORTED_FORMAT` when the trust file is a newer studio's.
   */
  async setTrusted(isTrusted: boolean): Promise<WorkspaceInfo> {
    this.assertOpen();
    const { opened, nodes } = this.parts;
    if (isTrusted) {
      const entry = await opened.trustStore.grant(opened.dir, 'user');
      opened.trustedBy = entry.source;
      await nodes.setPaused(false);
    } else {
      // handlers stop first: a failed write must not leave them running
      opened.trustedBy = null;
      await nodes.setPaused(true);
      await opened.trustStore.revoke(opened.dir);
    }
    this.notice({
      level: 'info',
      message: isTrusted
        ? `${opened.dir} is trusted: its handlers run`
        : `${opened.dir} is no longer trusted: its handlers are paused`,
    });
    this.broadcast('workspace:changed', { workspace: this.workspace });
    return this.workspace;
  }

  /** hooks.toml against the config the cluster runs. */
  configPending(): Promise<ConfigPending> {
    this.assertOpen();
    return this.parts.watch.current();
  }

  /** handlers/ changed on disk: reload the workers, say what happened. */
  async handlersChanged(files: string[]): Promise<void> {
    const { nodes, opened } = this.parts;
    this.notice(await reloadHandlers(nodes, opened.dir, files));
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

  /** Sends a push to every front end. */
  broadcast<C extends PushChannel>(channel: C, payload: PushMap[C]): void {
    for (const sink of this.sinks) {
      try {
        sink(channel, payload);
      } catch (error) {
        this.logger.warn('push failed', { channel, error: String(error) });
      }
    }
  }

  /** Stops everything in reverse order of starting; idempotent. */
  async close(): Promise<void> {
    if (this.isClosed) {
      return;
    }
    this.isClosed = true;
    const { frames, ttl, watch, nodes, targets, closers } = this.parts;
    watch.stop();
    frames.stop();
    ttl.stop();
    this.undo.splice(0).forEach((undo) => undo());
    await nodes.close();
    await targets.close();
    for (const close of closers.reverse()) {
      await close();
    }
    this.sinks.clear();
  }

  private async begin(options: StudioServiceOptions): Promise<void> {
    const { cluster, nodes, frames, ttl, watch, opened, logger } = this.parts;
    this.undo.push(
      nodes.attach(cluster),
      cluster.subscribe((event) => {
        frames.markStatusDirty();
        if (event.type === 'time') {
          frames.time(event.state);
        }
        if (event.type === 'commit') {
          watch.checkApplied();
        }
      }),
    );
    frames.start();
    ttl.start();
    watch.start();
    logger.info('workspace open', {
      workspace: opened.dir,
      dataDir: opened.dataDir,
      trustedBy: opened.trustedBy,
    });
    if (opened.trustWarning !== undefined) {
      this.notice({ level: 'warn', message: opened.trustWarning });
    }
    if (opened.trustedBy === null) {
      this.notice({
        level: 'warn',
        message:
          `handlers are paused: ${opened.dir} was not created on this ` +
          'machine. Trust the workspace to run them.',
      });
    }
    // the recent list is a convenience: its problems never stop an open
    const recent = new RecentWorkspaces(options.dataDir, opened.trustStore);
    await recent
      .add(opened.dir)
      .catch((error: unknown) =>
        logger.warn('recent list not updated', { error: String(error) }),
      );
  }

  private assertOpen(): void {
    if (this.isClosed) {
      throw new StudioError('NOT_OPEN', 'the studio service is closed');
    }
  }
}
