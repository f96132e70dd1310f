import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { DispatchEvent } from '../dispatch/dispatch-events';
import type { ForwardClusterPort } from '../dispatch/forward-attempt';
import type { HookDispatcher } from '../dispatch/hook-dispatcher';
import {
  createHookStateMachine,
  type HookStateMachine,
} from '../dispatch/hook-machine';
import { createHookRuntimeFactory } from '../dispatch/hook-runtime-adapter';
import { LocalCluster } from '../../cluster/local-cluster';
import { systemClock } from '../../ports/clock';
import { silentLogger, type Logger } from '../../ports/logger';
import type { NodeId } from '../../raft/types';
import type { Command } from '../../state/commands';
import { encodeCommand, ENVELOPE_VERSION } from '../../state/envelope';
import type { StateEvent } from '../../state/module';
import { isErrorResult } from '../../state/results';
import { AspenError } from '../../util/errors';

/**
 * A throwaway hooks cluster for one run of a comparison: real nodes (TCP,
 * LevelDB) in a temporary folder, each with the hook jobs module and a
 * dispatcher per node incarnation, as the studio service wires them. It
 * records every node's dispatch events and is removed when closed.
 *
 * @packageDocumentation
 */

/** Options of {@link ScratchCluster.start}. */
export interface ScratchClusterOptions {
  /** Voters, 1–7. */
  nodes: number;
  /** The workspace: `handlers/` and shell working directories. */
  workspaceDir: string;
  /** The environment shell handlers see; production passes all of it. */
  inheritedEnv?: Record<string, string | undefined>;
  /** Workers per in-process handler module. @defaultValue 1 */
  poolSize?: number;
  /** Longest a command or a leader may take (ms). @defaultValue 10000 */
  requestTimeoutMs?: number;
  /**
   * A forward handler's target cluster; without it every forward fails
   * with `NO_TARGET`.
   */
  forwardCluster?(name: string): Promise<ForwardClusterPort>;
  logger?: Logger;
}

/** An attempt still running, as the dispatch events tell. */
export interface OpenAttempt {
  node: number;
  hook: string;
  handlerType: string;
  /** Node clock (ms) when it started. */
  at: number;
}

const POLL_MS = 25;

/** One scratch cluster with its dispatchers. */
export class ScratchCluster {
  /** Every node's dispatch events, in arrival order. */
  readonly dispatch: DispatchEvent[] = [];
  private readonly dispatchers = new Map<NodeId, HookDispatcher>();
  private readonly open = new Map<string, OpenAttempt>();
  private readonly client = `fidelity-${randomBytes(6).toString('hex')}`;
  private seq = 0;

  private constructor(
    readonly cluster: LocalCluster,
    private readonly machines: Map<NodeId, HookStateMachine>,
    private readonly root: string,
    private readonly timeoutMs: number,
  ) {}

  /** Starts the cluster and waits for its first leader. */
  static async start(options: ScratchClusterOptions): Promise<ScratchCluster> {
    const root = await mkdtemp(join(tmpdir(), 'aspen-fidelity-'));
    const machines = new Map<NodeId, HookStateMachine>();
    const logger = options.logger ?? silentLogger;
    const cluster = await LocalCluster.start({
      dataDir: root,
      size: options.nodes,
      logger,
      stateMachine: (id, { initialConf }) => {
        const built = createHookStateMachine({ initialConf });
        machines.set(id, built);
        return built.machine;
      },
    });
    const timeoutMs = options.requestTimeoutMs ?? 10_000;
    const scratch = new ScratchCluster(cluster, machines, root, timeoutMs);
    scratch.follow(options, logger);
    await scratch.leader();
    return scratch;
  }

  /** Proposes `cmd` with this run's session; a refusal throws its code. */
  async propose(cmd: Command): Promise<unknown> {
    const seq = ++this.seq;
    const data = encodeCommand({
      v: ENVELOPE_VERSION,
      time: Date.now(),
      random: randomBytes(4).readUInt32BE(0),
      client: this.client,
      seq,
      cmd,
    });
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      try {
        const result = await this.cluster.propose(data, this.timeoutMs);
        if (isErrorResult(result)) {
          throw new AspenError(result.error.code, result.error.message);
        }
        return result;
      } catch (error) {
        // the same bytes again: the session answers a first success
        const code = (error as { code?: unknown }).code;
        if (code !== 'OUTCOME_UNKNOWN' || Date.now() >= deadline) {
          throw error;
        }
      }
    }
  }

  /** Waits for a leader; returns its id. */
  async leader(): Promise<NodeId> {
    const found = await this.until(() => this.cluster.leader(), this.timeoutMs);
    if (found === undefined) {
      throw new AspenError(
        'NO_LEADER',
        `no leader within ${this.timeoutMs} ms`,
      );
    }
    return found;
  }

  /**
   * Waits until the run is quiet: every running node applied what was
   * committed, no hook job is open, and every direct delivery ended, or
   * is an attempt `isOverdue` says will not end by itself. False when
   * `timeoutMs` passed first.
   */
  async settle(
    timeoutMs: number,
    isOverdue: (attempt: OpenAttempt, now: number) => boolean,
  ): Promise<boolean> {
    const isQuiet = () => {
      const now = systemClock.now();
      const overdue = [...this.open.values()].filter((a) => isOverdue(a, now));
      const { jobs, direct } = this.pending();
      return this.isApplied() && jobs === 0 && direct === overdue.length;
    };
    return (await this.until(() => isQuiet() || undefined, timeoutMs)) ?? false;
  }

  /** The leader's retained events of entries after `index`. */
  async eventsAfter(index: number): Promise<StateEvent[]> {
    const host = await this.cluster.read(this.timeoutMs);
    const machine = this.machines.get(host.id)!.machine;
    return machine
      .eventsFrom(machine.earliestEventId())
      .filter((event) => event.id.index > index);
  }

  /** Raft index of the config in force on the leader (0 before any). */
  async configIndex(): Promise<number> {
    const host = await this.cluster.read(this.timeoutMs);
    return this.machines.get(host.id)!.machine.hooksConfig()?.index ?? 0;
  }

  /** Stops every dispatcher (attempts aborted) and removes the cluster. */
  async close(): Promise<void> {
    const dispatchers = [...this.dispatchers.values()];
    this.dispatchers.clear();
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()));
    await this.cluster.dispose();
    await rm(this.root, { recursive: true, force: true });
  }

  // a dispatcher per node incarnation, as the studio service runs them
  private follow(options: ScratchClusterOptions, logger: Logger): void {
    const factory = createHookRuntimeFactory({
      poolSize: options.poolSize ?? 1,
      inheritedEnv: options.inheritedEnv,
      onEvent: (event) => this.record(event),
    });
    const start = (id: NodeId) => {
      const host = this.cluster.host(id);
      const built = this.machines.get(id);
      if (host === undefined || built === undefined) {
        return;
      }
      const runtime = factory({
        workspaceDir: options.workspaceDir,
        logger,
        clusterNow: () => Date.now(),
        terminal: () => undefined,
        forwardCluster: (name) =>
          options.forwardCluster?.(name) ??
          Promise.reject(
            new AspenError(
              'NO_TARGET',
              `this comparison has no target cluster ${name}`,
            ),
          ),
      });
      runtime.start({ id, host, machine: built.machine });
      this.dispatchers.set(id, runtime.dispatcher);
    };
    this.cluster.nodeIds().forEach(start);
    this.cluster.subscribe((event) => {
      if (event.type === 'node' && event.state === 'running') {
        start(event.node);
      } else if (event.type === 'node') {
        this.dispatchers.delete(event.node);
      }
    });
  }

  private record(event: DispatchEvent): void {
    this.dispatch.push(event);
    if (event.type === 'attempt-started') {
      const { node, hook, handlerType, at } = event;
      this.open.set(attemptKey(event), { node, hook, handlerType, at });
    } else if (event.type === 'attempt-finished') {
      this.open.delete(attemptKey(event));
    }
  }

  private isApplied(): boolean {
    const statuses = this.cluster.status();
    const commit = Math.max(0, ...statuses.map((status) => status.commit));
    return (
      this.cluster.leader() !== undefined &&
      statuses.every((status) => status.applied >= commit)
    );
  }

  // what has not ended yet: hooks with open jobs on the leader, and
  // direct matches no node has finished, dropped or cut
  private pending(): { jobs: number; direct: number } {
    const leader = this.cluster.leader();
    const hookJobs =
      leader === undefined ? undefined : this.machines.get(leader)?.hookJobs;
    const jobs = hookJobs?.hooksWithOpenJobs().length ?? 0;
    let direct = 0;
    for (const dispatcher of this.dispatchers.values()) {
      for (const { mode, metrics } of dispatcher.hooks()) {
        if (mode !== 'direct') {
          continue;
        }
        const dropped = Object.values(metrics.dropped).reduce(
          (sum, count) => sum + count,
          0,
        );
        direct +=
          metrics.matched -
          metrics.succeeded -
          metrics.failed -
          dropped -
          metrics.loopCut;
      }
    }
    return { jobs, direct };
  }

  private async until<T>(
    check: () => T | undefined,
    timeoutMs: number,
  ): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined || Date.now() >= deadline) {
        return value;
      }
      await new Promise<void>((resolve) => {
        systemClock.setTimeout(resolve, POLL_MS);
      });
    }
  }
}

function attemptKey(event: {
  node: number;
  hook: string;
  eventId: { index: number; offset: number };
  attempt: number;
}): string {
  const { index, offset } = event.eventId;
  return `${event.node}/${event.hook}/${index}.${offset}/${event.attempt}`;
}
