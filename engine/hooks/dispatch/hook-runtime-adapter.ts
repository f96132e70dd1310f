import type { DispatchEvent, DispatchListener } from './dispatch-events';
import type { ForwardClusterPort } from './forward-attempt';
import {
  HookDispatcher,
  type DispatcherNode,
  type HookDispatcherOptions,
} from './hook-dispatcher';
import type { HookInfo } from './hook-list';
import type { HookMetricsSnapshot } from '../reliability/hook-metrics';
import type { Logger } from '../../ports/logger';

/**
 * The thin adapter between the studio service's per-node hook runtime seam
 * (`main/studio/hook-runtime.ts`: a factory called with the service's
 * context for every node incarnation, then `start(node)`, `stop()`,
 * `metrics()`) and the {@link HookDispatcher}. engine/ may not import
 * main/, so the context is described here by the members it uses; the
 * service's types fit it as they are.
 *
 * @packageDocumentation
 */

/** One line of the terminal panel (the contract's `TerminalChunk`). */
export interface TerminalLine {
  node: number;
  hook: string;
  /** `index.offset` of the event being handled. */
  eventId: string;
  attempt: number;
  /** `meta` carries the attempt header and its exit line. */
  stream: 'stdout' | 'stderr' | 'meta';
  text: string;
}

/** What the studio service gives each runtime (its `HookRuntimeContext`). */
export interface HookRuntimeHost {
  workspaceDir: string;
  logger: Logger;
  /** Cluster time (Unix ms). */
  clusterNow(): number;
  /** Shell output for the terminal panel. */
  terminal(chunk: TerminalLine): void;
  /** A target cluster of a forward handler, started on first use. */
  forwardCluster(name: string): Promise<ForwardClusterPort>;
}

/** Settings every runtime a factory makes shares. */
export type HookRuntimeOptions = Omit<
  HookDispatcherOptions,
  'workspaceDir' | 'logger' | 'clusterNow' | 'forwardCluster'
> & {
  /** Sees every node's dispatch events (the studio's timeline). */
  onEvent?(event: DispatchEvent): void;
};

/** One node incarnation's hooks runtime, backed by a dispatcher. */
export class DispatcherRuntime {
  /** This runtime dispatches (unlike the service's placeholder). */
  readonly isDispatching = true;
  readonly dispatcher: HookDispatcher;
  private readonly shellAttempts = new Set<string>();

  constructor(host: HookRuntimeHost, options: HookRuntimeOptions = {}) {
    const { onEvent, ...rest } = options;
    this.dispatcher = new HookDispatcher({
      ...rest,
      workspaceDir: host.workspaceDir,
      logger: host.logger,
      clusterNow: () => host.clusterNow(),
      forwardCluster: (name) => host.forwardCluster(name),
    });
    this.dispatcher.subscribe((event) => {
      onEvent?.(event);
      this.toTerminal(event, host);
    });
  }

  /** Begins following the node. */
  start(node: DispatcherNode): void {
    this.dispatcher.start(node);
  }

  /** Aborts every attempt and releases workers and connections. */
  stop(): Promise<void> {
    return this.dispatcher.stop();
  }

  /** Loads edited handler modules afresh (in-process workers replaced). */
  reloadHandlers(): Promise<void> {
    return this.dispatcher.reloadHandlers();
  }

  /** Live metrics per hook name. */
  metrics(): Record<string, HookMetricsSnapshot> {
    return this.dispatcher.metrics();
  }

  /** The hooks list with live metrics. */
  hooks(): HookInfo[] {
    return this.dispatcher.hooks();
  }

  /** The node's dispatch events; returns the unsubscribe. */
  subscribe(listener: DispatchListener): () => void {
    return this.dispatcher.subscribe(listener);
  }

  // shell attempts become terminal lines: a header, the output, an exit line
  private toTerminal(event: DispatchEvent, host: HookRuntimeHost): void {
    if (
      event.type !== 'attempt-started' &&
      event.type !== 'attempt-output' &&
      event.type !== 'attempt-finished'
    ) {
      return;
    }
    const { node, hook, attempt } = event;
    const eventId = `${event.eventId.index}.${event.eventId.offset}`;
    const key = `${node}/${hook}/${eventId}/${attempt}`;
    const line = (stream: TerminalLine['stream'], text: string) =>
      host.terminal({ node, hook, eventId, attempt, stream, text });
    if (event.type === 'attempt-started') {
      if (event.handlerType === 'shell') {
        this.shellAttempts.add(key);
        const job = event.job === null ? '' : ` · ${event.job}`;
        line(
          'meta',
          `▶ ${hook} · event ${eventId} · attempt ${attempt} · node ${node}${job}\n`,
        );
      }
    } else if (event.type === 'attempt-output') {
      line(event.stream, event.text);
    } else if (this.shellAttempts.delete(key)) {
      const exit =
        event.exitCode === null ? 'no exit code' : `exit ${event.exitCode}`;
      // a shell failure's message is often just its exit code again
      const why =
        event.message === null || event.message === exit
          ? ''
          : ` · ${event.message}`;
      line(
        'meta',
        `■ ${event.status} · ${exit}${why} · ${Math.round(event.durationMs)} ms\n`,
      );
    }
  }
}

/**
 * The factory the studio service takes (`HookRuntimeFactory`): pass it
 * where the service now uses `noHookRuntime`, and build node machines with
 * `createHookStateMachine` so job-mode hooks get their jobs.
 */
export function createHookRuntimeFactory(
  options: HookRuntimeOptions = {},
): (host: HookRuntimeHost) => DispatcherRuntime {
  return (host) => new DispatcherRuntime(host, options);
}
