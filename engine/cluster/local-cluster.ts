import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import {
  readManifest,
  writeManifest,
  MANIFEST_VERSION,
  type ClusterManifest,
} from './cluster-manifest';
import type { NodeEvent } from '../node/node-events';
import { RaftHost, type RaftHostOptions } from '../node/raft-host';
import type { StateMachine } from '../node/state-machine';
import { systemClock, type Clock } from '../ports/clock';
import { silentLogger, type Logger } from '../ports/logger';
import { SeededRng } from '../ports/rng';
import type { LinkFault, PeerAddress } from '../ports/transport';
import type { RaftStatus } from '../raft/raft-node';
import type { ConfState, NodeId } from '../raft/types';
import { LevelStorage } from '../storage/level-storage';
import { TimeControl, type TimeEvent } from '../time/time-control';
import { FaultPlan } from '../transport/fault-plan';
import { TcpTransport } from '../transport/tcp-transport';
import { AspenError } from '../util/errors';

/** Options of {@link LocalCluster.start}. */
export interface LocalClusterOptions {
  /** Folder holding the manifest and one LevelDB directory per node. */
  dataDir: string;
  /** Voters of a new cluster, 1–7. @defaultValue 3 */
  size?: number;
  /**
   * A fresh state machine for a node (called again on every restart), with
   * the membership the cluster was created with.
   */
  stateMachine: (
    id: NodeId,
    context: { initialConf: ConfState },
  ) => StateMachine;
  logger?: Logger;
  /**
   * Real time under the cluster's clocks; connections and link delays run
   * on it directly. @defaultValue systemClock
   */
  clock?: Clock;
  /**
   * Speed to start at: below 1 slow motion, above 1 fast-forward of job
   * time (see {@link TimeControl.setSpeed}). @defaultValue 1
   */
  timeScale?: number;
  /**
   * Job time (cluster ms) to carry on from, as a previous run's
   * `timeControl.timeState().job.time` left it. @defaultValue Date.now()
   */
  jobTime?: number;
  /** Seed of the election-timeout randomness. @defaultValue random */
  seed?: number;
  /** Passed to every node's {@link RaftHost}. */
  host?: Pick<
    RaftHostOptions,
    'tickMs' | 'raft' | 'snapshotEvery' | 'requestTimeoutMs'
  >;
}

/** A node's lifecycle as the cluster reports it. */
export type ClusterEvent =
  | NodeEvent
  | { type: 'node'; node: NodeId; state: 'running' | 'killed' | 'removed' }
  | { type: 'faults'; description: string }
  | TimeEvent;

interface Member {
  id: NodeId;
  host?: RaftHost;
  transport?: TcpTransport;
  address?: PeerAddress;
}

/**
 * N Raft nodes in this process, each with its own LevelDB directory and a
 * TCP listener on an ephemeral 127.0.0.1 port, plus the fault controls the
 * studio offers: kill, restart, partition, one-way cut, link faults, heal,
 * leadership transfer and membership changes. Node ids are never reused.
 */
export class LocalCluster {
  readonly faults = new FaultPlan();
  /** Slow motion, pause, step and fast-forward of this cluster's time. */
  readonly timeControl: TimeControl;
  private readonly members = new Map<NodeId, Member>();
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly rng: SeededRng;
  private isDisposed = false;

  private constructor(
    private readonly options: LocalClusterOptions,
    private manifest: ClusterManifest,
  ) {
    this.logger = (options.logger ?? silentLogger).child({ scope: 'cluster' });
    this.clock = options.clock ?? systemClock;
    this.timeControl = new TimeControl({
      source: this.clock,
      faults: this.faults,
      speed: options.timeScale,
      jobTime: options.jobTime,
    });
    this.timeControl.subscribe((event) => this.emit(event));
    this.rng = new SeededRng(options.seed ?? randomBytes(4).readUInt32BE());
    this.faults.subscribe(() =>
      this.emit({ type: 'faults', description: this.faults.describe() }),
    );
  }

  /** Opens the cluster in `dataDir` (creating it) and starts every node. */
  static async start(options: LocalClusterOptions): Promise<LocalCluster> {
    const existing = await readManifest(options.dataDir);
    const size = options.size ?? 3;
    if (existing === undefined && (size < 1 || size > 7)) {
      throw new AspenError('INVALID_SIZE', `cluster size ${size} not in 1–7`);
    }
    const voters = Array.from({ length: size }, (_, i) => i + 1);
    const manifest = existing ?? {
      version: MANIFEST_VERSION,
      clusterId: randomBytes(8).toString('hex'),
      nextId: size + 1,
      nodes: voters,
      initialConf: { voters, learners: [] },
    };
    await writeManifest(options.dataDir, manifest);
    const cluster = new LocalCluster(options, manifest);
    await Promise.all(manifest.nodes.map((id) => cluster.startNode(id)));
    return cluster;
  }

  /** Ids of every node with data, running or not, ascending. */
  nodeIds(): NodeId[] {
    return [...this.members.keys()].sort((a, b) => a - b);
  }

  /** The running node `id`, if it runs. */
  host(id: NodeId): RaftHost | undefined {
    return this.members.get(id)?.host;
  }

  /** Status of every running node. */
  status(): RaftStatus[] {
    const hosts = this.nodeIds().map((id) => this.host(id));
    return hosts.flatMap((host) => (host ? [host.status()] : []));
  }

  /** The running node that leads in the highest term, if any. */
  leader(): NodeId | undefined {
    let best: RaftStatus | undefined;
    for (const status of this.status()) {
      if (status.role === 'leader' && (!best || status.term > best.term)) {
        best = status;
      }
    }
    return best?.id;
  }

  /** Listens to every node's events and the cluster's; returns the undo. */
  subscribe(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Proposes through the current leader, retrying while there is none or
   * it changes (both certainly did not commit). `OUTCOME_UNKNOWN` is passed
   * on: only the caller knows whether a retry is idempotent.
   */
  async propose(data: Uint8Array, timeoutMs = 10_000): Promise<unknown> {
    return this.withLeader(timeoutMs, (host) => host.propose(data));
  }

  /** Waits until a linearizable read at the leader is safe; returns it. */
  async read(timeoutMs = 10_000): Promise<RaftHost> {
    return this.withLeader(timeoutMs, async (host) => {
      await host.read();
      return host;
    });
  }

  /** Crashes node `id` (see {@link RaftHost.kill}). */
  async kill(id: NodeId): Promise<void> {
    const member = this.member(id);
    const host = member.host;
    member.host = undefined;
    member.transport = undefined;
    member.address = undefined;
    await host?.kill();
    this.broadcastPeers();
    this.emit({ type: 'node', node: id, state: 'killed' });
  }

  /** Starts a killed node again from what its storage kept. */
  async restart(id: NodeId): Promise<void> {
    const member = this.member(id);
    if (member.host !== undefined) {
      throw new AspenError('NODE_RUNNING', `node ${id} is already running`);
    }
    await this.startNode(id);
  }

  /** Splits the nodes into groups that cannot reach each other. */
  partition(groups: NodeId[][]): void {
    this.faults.partition(groups);
  }

  /** Blocks messages from `from` to `to` only. */
  cut(from: NodeId, to: NodeId): void {
    this.faults.cut(from, to);
  }

  /** Sets delay, loss and duplication on one directed link. */
  setLink(from: NodeId, to: NodeId, fault: LinkFault): void {
    this.faults.setLink(from, to, fault);
  }

  /** Removes every partition, cut and link fault. */
  heal(): void {
    this.faults.heal();
  }

  /** Asks the leader to hand leadership to `to`. */
  async transferLeadership(to: NodeId, timeoutMs = 10_000): Promise<void> {
    this.member(to);
    await this.withLeader(timeoutMs, async (host) => {
      host.transferLeadership(to);
    });
  }

  /** Adds a new node as a learner; returns its (never reused) id. */
  async addLearner(timeoutMs = 10_000): Promise<NodeId> {
    const id = this.manifest.nextId;
    this.manifest = {
      ...this.manifest,
      nextId: id + 1,
      nodes: [...this.manifest.nodes, id],
    };
    await writeManifest(this.options.dataDir, this.manifest);
    await this.startNode(id, { isNew: true });
    await this.changeConf({ type: 'addLearner', node: id }, timeoutMs);
    return id;
  }

  /** Makes learner `id` a voter. */
  async promote(id: NodeId, timeoutMs = 10_000): Promise<void> {
    this.member(id);
    await this.changeConf({ type: 'promote', node: id }, timeoutMs);
  }

  /** Adds a node as a learner, then promotes it once it has caught up. */
  async addNode(timeoutMs = 20_000): Promise<NodeId> {
    const id = await this.addLearner(timeoutMs);
    await this.waitFor(() => this.isCaughtUp(id), timeoutMs, 'catch-up');
    await this.promote(id, timeoutMs);
    return id;
  }

  /** Removes `id` from the membership, stops it and deletes its data. */
  async removeNode(id: NodeId, timeoutMs = 10_000): Promise<void> {
    this.member(id);
    await this.changeConf({ type: 'remove', node: id }, timeoutMs);
    await this.kill(id);
    this.members.delete(id);
    this.manifest = {
      ...this.manifest,
      nodes: this.manifest.nodes.filter((node) => node !== id),
    };
    await writeManifest(this.options.dataDir, this.manifest);
    await rm(this.nodeDir(id), { recursive: true, force: true });
    this.broadcastPeers();
    this.emit({ type: 'node', node: id, state: 'removed' });
  }

  /** Stops every node gracefully; leaves no timer, socket or handle. */
  async dispose(): Promise<void> {
    if (this.isDisposed) {
      return;
    }
    this.isDisposed = true;
    const hosts = [...this.members.values()].flatMap((m) => m.host ?? []);
    for (const member of this.members.values()) {
      member.host = undefined;
    }
    await Promise.all(hosts.map((host) => host.stop()));
    this.timeControl.dispose();
    this.listeners.clear();
  }

  private member(id: NodeId): Member {
    const member = this.members.get(id);
    if (member === undefined) {
      throw new AspenError('UNKNOWN_NODE', `no node ${id} in this cluster`);
    }
    return member;
  }

  private nodeDir(id: NodeId): string {
    return join(this.options.dataDir, `node-${id}`);
  }

  private async startNode(id: NodeId, flags: { isNew?: boolean } = {}) {
    const member = this.members.get(id) ?? { id };
    this.members.set(id, member);
    const logger = this.logger.child({ node: id });
    await mkdir(this.nodeDir(id), { recursive: true });
    const storage = await LevelStorage.open(this.nodeDir(id), { logger });
    const transport = await TcpTransport.listen({
      id,
      clusterId: this.manifest.clusterId,
      faults: this.faults,
      rng: new SeededRng(this.rng.nextUint32()),
      clock: this.clock,
      logger,
    });
    // ticks and request timeouts follow the Raft clock; frames wait at
    // their receiver while the cluster is paused
    const host = await RaftHost.start({
      ...this.options.host,
      id,
      storage,
      transport: this.timeControl.frames.wrap(transport),
      stateMachine: this.options.stateMachine(id, {
        initialConf: this.manifest.initialConf,
      }),
      clock: this.timeControl.raftClock,
      rng: new SeededRng(this.rng.nextUint32()),
      logger,
      initialConf: flags.isNew ? undefined : this.manifest.initialConf,
    });
    host.subscribe((event) => this.emit(event));
    member.host = host;
    member.transport = transport;
    member.address = { host: '127.0.0.1', port: transport.port };
    this.broadcastPeers();
    this.emit({ type: 'node', node: id, state: 'running' });
  }

  // a restarted node listens on a new port: tell every transport
  private broadcastPeers(): void {
    const peers = new Map<NodeId, PeerAddress>();
    for (const member of this.members.values()) {
      if (member.address !== undefined) {
        peers.set(member.id, member.address);
      }
    }
    for (const member of this.members.values()) {
      member.transport?.setPeers(peers);
    }
  }

  private isCaughtUp(id: NodeId): boolean {
    const leader = this.leader();
    const follower = this.host(id)?.status();
    if (leader === undefined || follower === undefined) {
      return false;
    }
    const leaderStatus = this.host(leader)?.status();
    return (
      leaderStatus !== undefined && follower.applied >= leaderStatus.commit
    );
  }

  private async changeConf(
    change: Parameters<RaftHost['proposeConfChange']>[0],
    timeoutMs: number,
  ): Promise<void> {
    await this.withLeader(timeoutMs, (host) => host.proposeConfChange(change));
  }

  private async withLeader<T>(
    timeoutMs: number,
    action: (host: RaftHost) => Promise<T>,
  ): Promise<T> {
    const raftClock = this.timeControl.raftClock;
    const deadline = raftClock.now() + timeoutMs;
    let lastError: unknown;
    while (raftClock.now() < deadline) {
      const leader = this.leader();
      const host = leader === undefined ? undefined : this.host(leader);
      if (host !== undefined) {
        try {
          return await action(host);
        } catch (error) {
          if (!isRetryable(error)) {
            throw error;
          }
          lastError = error;
        }
      }
      await this.sleep(10);
    }
    throw new AspenError('NO_LEADER', 'no leader accepted the request', {
      cause: lastError,
    });
  }

  private async waitFor(
    check: () => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<void> {
    const raftClock = this.timeControl.raftClock;
    const deadline = raftClock.now() + timeoutMs;
    while (!check()) {
      if (raftClock.now() > deadline) {
        throw new AspenError('TIMEOUT', `timed out waiting for ${what}`);
      }
      await this.sleep(10);
    }
  }

  // polls on real time; deadlines are on the Raft clock, so a request
  // waits out a pause and stretches with slow motion like the nodes do
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }

  private emit(event: ClusterEvent): void {
    for (const listener of this.listeners) {
      listener(event);
    }
  }
}

const RETRYABLE = new Set([
  'NOT_LEADER',
  'PROPOSAL_DROPPED',
  'NODE_STOPPED',
  'NOT_READY',
  'CONF_CHANGE_IN_PROGRESS',
  'READ_FAILED',
]);

function isRetryable(error: unknown): boolean {
  return error instanceof AspenError && RETRYABLE.has(error.code);
}
