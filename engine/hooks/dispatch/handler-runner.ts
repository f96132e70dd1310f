import { existsSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';

import type { HandlerDefinition, HandlerTarget } from './dispatch-config';
import { ForwardAttempts, type ForwardClusterPort } from './forward-attempt';
import { shellContext } from '../fidelity/production-shell';
import type { NatsForwarders } from '../forward/nats-forwarders';
import { WorkerPool } from '../in-process/worker-pool';
import { runShell } from '../shell/shell-runner';
import { systemClock, type Clock } from '../../ports/clock';
import { silentLogger, type Logger } from '../../ports/logger';
import {
  displayEventType,
  toHookEvent,
  toHookJson,
} from '../../state/hook-event';
import type { StateEvent } from '../../state/module';
import { AspenError } from '../../util/errors';

/**
 * Runs one attempt of any handler kind (shell, in-process, forward) and
 * reports it in one shape, so the direct path and the job workers treat
 * every kind alike.
 *
 * @packageDocumentation
 */

/** How one attempt ended. */
export type AttemptOutcome =
  | { status: 'succeeded'; exitCode: number | null; value?: unknown }
  | {
      status: 'retry';
      message: string;
      /** A delay the handler asked for instead of the back-off. */
      delayMs?: number;
      exitCode: number | null;
    }
  | {
      status: 'failed';
      message: string;
      /** false: no retry can help (an event too large, a bad target). */
      isRetryable: boolean;
      exitCode: number | null;
    }
  | { status: 'terminal'; message: string; exitCode: null }
  | { status: 'aborted'; message: string; exitCode: number | null };

/** One attempt to run. */
export interface AttemptRequest {
  handler: HandlerDefinition;
  event: StateEvent;
  /** The dispatching node (the HookEvent's `node_id`). */
  node: number;
  /** `[studio.env]` of the config in force. */
  env: Record<string, string>;
  /** Aborting stops the attempt (shell groups get SIGKILL). */
  signal: AbortSignal;
  /**
   * `production`: no in-process timeout, and shell commands run as a node
   * runs them (see `../fidelity/production-shell`). @defaultValue 'studio'
   */
  fidelity?: 'studio' | 'production';
  /** Live shell output. */
  onOutput?(stream: 'stdout' | 'stderr', text: string): void;
  /** The in-process handler said it is still working. */
  onProgress?(): void;
  /** Key of a forward, so its target keeps one copy (DESIGN §3.4). */
  forwardKey?: string;
}

/** Options of a {@link HandlerRunner}. */
export interface HandlerRunnerOptions {
  /** The workspace: `handlers/` and shell working directories. */
  workspaceDir: string;
  /** Workers per in-process handler module. @defaultValue 2 */
  poolSize?: number;
  /** The studio's process environment (PATH, HOME, LANG, TMPDIR). */
  inheritedEnv?: Record<string, string | undefined>;
  /** NATS forwarders; one registry is made on first use when omitted. */
  forwarders?: NatsForwarders;
  /** A studio-run cluster a forward targets, started on first use. */
  forwardCluster?(name: string): Promise<ForwardClusterPort>;
  clock?: Clock;
  logger?: Logger;
}

const MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs'];

/** Runs attempts; owns the worker pools and NATS connections it makes. */
export class HandlerRunner {
  private readonly pools = new Map<string, WorkerPool>();
  // handler_id → module path, once found (cleared by reload)
  private readonly paths = new Map<string, string>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly forwards: ForwardAttempts;
  private isClosed = false;

  constructor(private readonly options: HandlerRunnerOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = (options.logger ?? silentLogger).child({ scope: 'hooks' });
    this.forwards = new ForwardAttempts({
      forwarders: options.forwarders,
      forwardCluster: options.forwardCluster,
      clock: this.clock,
      logger: this.logger,
    });
  }

  /** Runs one attempt; never rejects. */
  async run(request: AttemptRequest): Promise<AttemptOutcome> {
    if (this.isClosed || request.signal.aborted) {
      return { status: 'aborted', message: 'stopped', exitCode: null };
    }
    try {
      const target: HandlerTarget = request.handler;
      switch (target.type) {
        case 'shell':
          return await this.runShell(request, target);
        case 'in_process':
          return await this.runInProcess(request, target);
        case 'forward':
          return await this.forwards.run(request, target);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const isRetryable = !(
        error instanceof AspenError && PERMANENT.has(error.code)
      );
      return { status: 'failed', message, isRetryable, exitCode: null };
    }
  }

  /**
   * Starts the worker pools of these in-process handlers now, so their
   * first attempt does not wait for workers to boot; unknown ids are
   * left for their attempts to report.
   */
  warm(handlerIds: readonly string[]): void {
    for (const id of handlerIds) {
      if (this.isClosed) {
        return;
      }
      try {
        this.pool(id);
      } catch {
        // the attempt itself says `handler not found`
      }
    }
  }

  /** Reloads every in-process pool (an edited `handlers/` module). */
  async reload(): Promise<void> {
    this.paths.clear();
    await Promise.all([...this.pools.values()].map((pool) => pool.reload()));
  }

  /** Terminates every worker and closes every NATS connection. */
  async close(): Promise<void> {
    this.isClosed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
    await this.forwards.close();
  }

  private async runShell(
    request: AttemptRequest,
    target: Extract<HandlerTarget, { type: 'shell' }>,
  ): Promise<AttemptOutcome> {
    const { event, handler } = request;
    const { env, cwd } = shellContext({
      fidelity: request.fidelity ?? 'studio',
      inherited: this.options.inheritedEnv ?? process.env,
      studioEnv: request.env,
      workspaceDir: this.options.workspaceDir,
      workingDir: target.workingDir,
      variables: {
        eventJson: toHookJson(toHookEvent(event, request.node)),
        topic: event.topic,
        eventType: displayEventType(event.topic),
      },
    });
    const decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    const result = await runShell({
      command: target.command,
      cwd,
      env,
      fidelity: request.fidelity,
      timeoutMs: handler.timeoutMs,
      graceMs: handler.graceMs,
      signal: request.signal,
      clock: this.clock,
      onOutput: (stream, chunk) =>
        request.onOutput?.(
          stream,
          decoder[stream].decode(chunk, { stream: true }),
        ),
    });
    const { outcome, exitCode } = result;
    switch (outcome.status) {
      case 'succeeded':
        return { status: 'succeeded', exitCode };
      case 'retry':
        return { status: 'retry', message: outcome.message, exitCode };
      default:
        if (outcome.reason === 'aborted') {
          return { status: 'aborted', message: outcome.message, exitCode };
        }
        // production retries every failure of a job (reference §8.1)
        return {
          status: 'failed',
          message: outcome.message,
          isRetryable: true,
          exitCode,
        };
    }
  }

  private async runInProcess(
    request: AttemptRequest,
    target: Extract<HandlerTarget, { type: 'in_process' }>,
  ): Promise<AttemptOutcome> {
    const pool = this.pool(target.handlerId);
    const outcome = await pool.run(toHookEvent(request.event, request.node), {
      timeoutMs:
        request.fidelity === 'production'
          ? undefined
          : request.handler.timeoutMs,
      onProgress: request.onProgress,
    });
    if (request.signal.aborted || this.isClosed) {
      return { status: 'aborted', message: 'stopped', exitCode: null };
    }
    switch (outcome.status) {
      case 'succeeded':
        return { status: 'succeeded', exitCode: null, value: outcome.value };
      case 'retry':
        return {
          status: 'retry',
          message: outcome.message,
          delayMs: outcome.delayMs > 0 ? outcome.delayMs : undefined,
          exitCode: null,
        };
      case 'terminal':
        return { status: 'terminal', message: outcome.message, exitCode: null };
      case 'failed':
        return {
          status: 'failed',
          message: `${outcome.reason}: ${outcome.message}`,
          isRetryable: true,
          exitCode: null,
        };
    }
  }

  private pool(handlerId: string): WorkerPool {
    let path = this.paths.get(handlerId);
    if (path === undefined) {
      path = this.modulePath(handlerId);
      this.paths.set(handlerId, path);
    }
    let pool = this.pools.get(path);
    if (pool === undefined) {
      pool = new WorkerPool({
        modulePath: path,
        size: this.options.poolSize ?? 2,
        clock: this.clock,
        logger: this.logger,
      });
      this.pools.set(path, pool);
    }
    return pool;
  }

  // `handler_id` names a module in the workspace's handlers/ folder, with
  // or without its extension; it may not climb out of that folder
  private modulePath(handlerId: string): string {
    const folder = join(this.options.workspaceDir, 'handlers');
    const base = resolve(folder, handlerId);
    const inside = relative(folder, base);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw new AspenError(
        'HANDLER_NOT_FOUND',
        `handler not found: ${handlerId} (outside handlers/)`,
      );
    }
    const candidates = MODULE_EXTENSIONS.includes(extname(base))
      ? [base]
      : MODULE_EXTENSIONS.map((ext) => base + ext);
    const found = candidates.find((path) => existsSync(path));
    if (found === undefined) {
      // production's message for an unregistered id (reference §6)
      throw new AspenError(
        'HANDLER_NOT_FOUND',
        `handler not found: ${handlerId} (no handlers/${handlerId}.mjs, .js or .cjs)`,
      );
    }
    return found;
  }
}

// failures no retry can mend: they go to the DLQ at once
const PERMANENT = new Set(['EVENT_TOO_LARGE', 'INVALID_FORWARD_TARGET']);
