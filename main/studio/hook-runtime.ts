import type { HookMetricsSnapshot } from '../../engine/hooks/reliability/hook-metrics';
import type { RaftHost } from '../../engine/node/raft-host';
import type { Logger } from '../../engine/ports/logger';
import type { Command } from '../../engine/state/commands';
import type { AspenStateMachine } from '../../engine/state/machine';
import type { Notice, TerminalChunk } from '../../preload/contract';

/**
 * The seam where the hooks dispatcher plugs into the studio service. The
 * service knows nothing of handlers: for every node incarnation it asks
 * the factory for a runtime, starts it with that node's host and state
 * machine, and stops it when the node is killed, removed or the service
 * closes. Dispatch itself (leader-only, in log order, above the leader's
 * election entry; direct and job mode; shell, in-process and forward
 * handlers) is the runtime's business (DESIGN §3.4).
 *
 * Until a dispatcher exists the service runs {@link noHookRuntime}, which
 * dispatches nothing and reports no metrics.
 *
 * Workspace trust is enforced here, on the service's side of the seam:
 * while the workspace is untrusted the factory is never called, so no
 * runtime exists to run a handler, whatever runtime is plugged in. When
 * the user trusts it, a runtime is made and started on every running
 * node, as after a restart: it dispatches what is applied from then on,
 * and job-mode jobs created meanwhile wait in their queues until then.
 */

/** One running node, as handed to its runtime. */
export interface HookNode {
  id: number;
  host: RaftHost;
  machine: AspenStateMachine;
}

/** A forward-target cluster, as a runtime sees it. */
export interface ForwardCluster {
  readonly name: string;
  /** Proposes a command on that cluster through its own client session. */
  propose(cmd: Command): Promise<unknown>;
}

/** What the service offers every runtime it creates. */
export interface HookRuntimeContext {
  /** The workspace folder: `handlers/` and shell working directories. */
  workspaceDir: string;
  logger: Logger;
  /**
   * Proposes a command on the main cluster through the service's client
   * session (retry-safe): job leases, acks, naks, handler publishes.
   */
  propose(cmd: Command): Promise<unknown>;
  /** Cluster time (Unix ms) for deadlines and latencies. */
  clusterNow(): number;
  /** Sends shell output to the terminal panel (bounded per frame). */
  terminal(chunk: TerminalChunk): void;
  /** Tells the user something no request asked for (`app:notice`). */
  notice(notice: Notice): void;
  /** The forward-target cluster `name`, started on first use. */
  forwardCluster(name: string): Promise<ForwardCluster>;
}

/** The hooks machinery of one node incarnation. */
export interface HookRuntime {
  /** Begins watching the node (its role, its applied events). */
  start(node: HookNode): void | Promise<void>;
  /**
   * Ends every attempt and releases everything (process groups get
   * SIGKILL, workers are terminated); called on kill, removal and close.
   */
  stop(): Promise<void>;
  /** Live metrics per hook name, of this node's deliveries. */
  metrics(): Record<string, HookMetricsSnapshot>;
  /** Whether this runtime dispatches at all. */
  readonly isDispatching: boolean;
  /**
   * Loads the workspace's handler modules afresh (handlers/ changed on
   * disk): in-process workers are replaced, and an attempt running in one
   * is ended. Optional: a runtime without handler modules leaves it out.
   */
  reloadHandlers?(): Promise<void>;
}

/** Makes the runtime of one node incarnation. */
export type HookRuntimeFactory = (context: HookRuntimeContext) => HookRuntime;

/** The runtime used until the dispatcher is built: does nothing. */
export const noHookRuntime: HookRuntimeFactory = () => ({
  isDispatching: false,
  start: () => {},
  stop: async () => {},
  metrics: () => ({}),
});
