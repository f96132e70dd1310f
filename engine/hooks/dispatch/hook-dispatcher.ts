import { randomBytes } from 'node:crypto';

import { MetricsRegistry } from './attempts';
import { DirectDispatch, DIRECT_SLOTS } from './direct-dispatch';
import { routeDirect, routeProduction } from './direct-routing';
import { DispatchConfigCache, type DispatchConfig } from './dispatch-config';
import type { DispatchEvent, DispatchListener } from './dispatch-events';
import { HandlerRunner, type HandlerRunnerOptions } from './handler-runner';
import { listHooks, type HookInfo } from './hook-list';
import { hookJobsOf } from './hook-machine';
import type { HookJobsModule } from './hook-jobs-module';
import { DEFAULT_JOB_SLOTS } from './job-workers';
import { LeaderTerm } from './leader-term';
import type { HookMetricsSnapshot } from '../reliability/hook-metrics';
import type { RaftHost } from '../../node/raft-host';
import { systemClock, type Clock } from '../../ports/clock';
import { silentLogger, type Logger } from '../../ports/logger';
import { CLUSTER_TOPICS } from '../../state/cluster';
import type { AppliedEntry, AspenStateMachine } from '../../state/machine';
import type { StateEvent } from '../../state/module';

/**
 * One node's hooks dispatcher (DESIGN §3.4). It follows the node's
 * applied entries in log order and dispatches only while the node leads,
 * and only entries of its own term after its election entry. Each term's
 * entries belong to one leader, so no event is dispatched twice: an entry
 * an earlier leader may have dispatched is never dispatched again, and
 * one that no leader dispatched (its leader fell first) is left for the
 * studio to mark lost (see `./direct-ledger`).
 *
 * Direct hooks start at once (see `./direct-dispatch`). Job hooks get
 * their jobs at apply time on every replica (see `./hook-jobs-module`);
 * while leading, this node's workers lease and run them and its timer
 * service expires deadlines (see `./leader-term`). Under
 * `fidelity = "production"` every node dispatches direct hooks for what it
 * applies, one handler after another per event, and job hooks never run.
 *
 * Killing the node stops the dispatcher: running shell groups get SIGKILL
 * and handler workers are terminated.
 */
export class HookDispatcher {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly clusterNow: () => number;
  private readonly configs = new DispatchConfigCache();
  private readonly metricsByHook = new MetricsRegistry();
  private readonly listeners = new Set<DispatchListener>();
  private readonly runner: HandlerRunner;
  private direct?: DirectDispatch;
  private readonly undo: (() => void)[] = [];
  private node?: DispatcherNode;
  private hookJobs?: HookJobsModule;
  private lead?: LeaderTerm;
  private freshFrom = Infinity;
  private warmed = 0;
  private isStopped = false;

  constructor(private readonly options: HookDispatcherOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child({ scope: 'hooks' });
    this.clusterNow = options.clusterNow ?? (() => Date.now());
    this.runner = new HandlerRunner({
      ...options,
      clock: this.clock,
      logger: this.logger,
    });
  }

  /** Begins following a node: its role and its applied entries. */
  start(node: DispatcherNode): void {
    if (this.node !== undefined || this.isStopped) {
      return;
    }
    this.node = node;
    this.direct = new DirectDispatch({
      node: node.id,
      origin: this.options.clusterId ?? 'studio',
      runner: this.runner,
      clock: this.clock,
      metrics: this.metricsByHook,
      clusterNow: () => this.now(),
      slots: this.options.directSlots ?? DIRECT_SLOTS,
      emit: (event) => this.emit(event),
    });
    this.hookJobs = node.hookJobs ?? hookJobsOf(node.machine);
    this.freshFrom = node.host.status().commit + 1;
    this.undo.push(
      node.host.subscribe((event) => {
        if (event.type === 'stopped') {
          void this.stop();
        } else if (event.type === 'role') {
          this.followRole();
        }
      }),
      node.machine.onApplied((applied) => this.onApplied(applied)),
    );
    this.followRole();
    this.warm(this.config());
  }

  /** Ends everything: attempts aborted, workers terminated. */
  async stop(): Promise<void> {
    if (this.isStopped) {
      return;
    }
    this.isStopped = true;
    const node = this.node;
    if (this.lead !== undefined) {
      this.endTerm('stopped');
    } else if (node !== undefined) {
      const { term } = node.host.status();
      this.emit({
        type: 'leadership',
        node: node.id,
        term,
        state: 'stopped',
        electionIndex: null,
      });
    }
    this.direct?.stop();
    this.undo.splice(0).forEach((undo) => undo());
    await this.runner.close();
  }

  /**
   * Loads the handler modules afresh (handlers/ changed on disk): the
   * in-process workers are replaced, ending an attempt running in one.
   */
  reloadHandlers(): Promise<void> {
    return this.runner.reload();
  }

  /** Listens to this node's dispatch events; returns the unsubscribe. */
  subscribe(listener: DispatchListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether this node leads and dispatches (its election entry applied). */
  get isLeading(): boolean {
    return this.lead?.isActive ?? false;
  }

  /** The hooks of the config in force, with this node's live metrics. */
  hooks(): HookInfo[] {
    return listHooks(this.config(), this.metricsByHook);
  }

  /** Live metrics per hook name, of this node's deliveries. */
  metrics(): Record<string, HookMetricsSnapshot> {
    const out: Record<string, HookMetricsSnapshot> = {};
    for (const hook of this.hooks()) {
      out[hook.name] = hook.metrics;
    }
    return out;
  }

  /** Attempts running now: direct, and jobs of the current term. */
  inFlight(): { direct: number; jobs: number } {
    return {
      direct: this.direct?.inFlight ?? 0,
      jobs: this.lead?.jobsInFlight ?? 0,
    };
  }

  private config(): DispatchConfig {
    return this.configs.get(this.node?.machine.hooksConfig());
  }

  // every node keeps its in-process workers booted, so a new leader's
  // first deliveries do not wait for them
  private warm(config: DispatchConfig): void {
    if (config.version === this.warmed) {
      return;
    }
    this.warmed = config.version;
    const ids = config.hooks.flatMap(({ isEnabled, definition }) =>
      isEnabled && definition.type === 'in_process'
        ? [definition.handlerId]
        : [],
    );
    this.runner.warm(ids);
  }

  private now(): number {
    return Math.max(this.clusterNow(), this.node?.machine.clusterTime ?? 0);
  }

  // the core's view decides, whatever the role events said
  private followRole(): void {
    const node = this.node;
    if (node === undefined || this.isStopped) {
      return;
    }
    const status = node.host.status();
    const isLeader = status.role === 'leader';
    if (
      this.lead !== undefined &&
      (!isLeader || this.lead.term !== status.term)
    ) {
      this.endTerm('following');
    }
    if (isLeader && this.lead === undefined) {
      this.beginTerm(node, status.term);
    }
  }

  private beginTerm(node: DispatcherNode, term: number): void {
    const worker = `node-${node.id}/${randomBytes(4).toString('hex')}`;
    this.lead = new LeaderTerm({
      node: node.id,
      origin: this.options.clusterId ?? 'studio',
      term,
      worker,
      host: node.host,
      machine: node.machine,
      hookJobs: this.hookJobs,
      runner: this.runner,
      metrics: this.metricsByHook,
      clock: this.clock,
      clusterNow: () => this.now(),
      config: () => this.config(),
      jobSlots: this.options.jobSlots ?? DEFAULT_JOB_SLOTS,
      logger: this.logger,
      emit: (event) => this.emit(event),
    });
    // started late, after our election entry applied: the floor is what
    // was applied, so nothing applied before we watched is dispatched
    const info = node.machine.clusterInfo();
    if (info.leader === node.id && info.term === term) {
      this.lead.activate(node.machine.lastApplied.index);
    }
  }

  private endTerm(state: 'following' | 'stopped'): void {
    const lead = this.lead;
    this.lead = undefined;
    lead?.end(state);
    this.direct?.dropQueued();
  }

  private onApplied(applied: AppliedEntry): void {
    // role events come after the entries of their ready are applied, so an
    // entry of a newer term, or our own election entry, asks the core now
    const lead = this.lead;
    if (
      (lead !== undefined && applied.term > lead.term) ||
      (lead === undefined && applied.events.some(isElection))
    ) {
      this.followRole();
    }
    const direct = this.direct;
    const node = this.node;
    if (direct === undefined || node === undefined) {
      return;
    }
    const config = this.config();
    this.warm(config);
    const ctx = {
      node: node.id,
      direct,
      metrics: this.metricsByHook,
      emit: (event: DispatchEvent) => this.emit(event),
    };
    if (config.fidelity === 'production') {
      // every node dispatches what it applies, once: not its replay
      if (applied.index >= this.freshFrom) {
        const { term } = node.host.status();
        applied.events.forEach((e) => routeProduction(ctx, e, config, term));
      }
      this.lead?.observe(applied, config);
      return;
    }
    const current = this.lead;
    if (current?.observe(applied, config) === true) {
      const { term } = current;
      applied.events.forEach((e) => routeDirect(ctx, e, config, term));
    }
  }

  private emit(event: DispatchEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error('dispatch listener failed', { error: String(error) });
      }
    }
  }
}

/** The node a dispatcher follows (the studio seam's `HookNode`). */
export interface DispatcherNode {
  id: number;
  host: RaftHost;
  machine: AspenStateMachine;
  /** Its hook jobs module; found from the machine when omitted. */
  hookJobs?: HookJobsModule;
}

/** Options of a {@link HookDispatcher}. */
export interface HookDispatcherOptions extends Omit<
  HandlerRunnerOptions,
  'clock' | 'logger'
> {
  /** Names this cluster in forward keys. @defaultValue 'studio' */
  clusterId?: string;
  /** Cluster time (Unix ms) to stamp entries. @defaultValue Date.now */
  clusterNow?(): number;
  /** Direct attempts at once. @defaultValue 32 (production) */
  directSlots?: number;
  /** Job attempts at once while leading. @defaultValue 64 */
  jobSlots?: number;
  clock?: Clock;
  logger?: Logger;
}

function isElection(event: StateEvent): boolean {
  return event.topic === CLUSTER_TOPICS.leader;
}
