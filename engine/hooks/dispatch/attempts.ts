import type { Fidelity, HandlerDefinition, HookMode } from './dispatch-config';
import type { DispatchEvent } from './dispatch-events';
import type { AttemptOutcome, HandlerRunner } from './handler-runner';
import { HookMetrics } from '../reliability/hook-metrics';
import type { Clock } from '../../ports/clock';
import type { StateEvent } from '../../state/module';

/**
 * The parts the direct path and the job workers share: per-hook metrics,
 * and one attempt run with its started, output and finished events.
 *
 * @packageDocumentation
 */

/** Every hook's live metrics on one node, made on first use. */
export class MetricsRegistry {
  private readonly byHook = new Map<string, HookMetrics>();

  /** The metrics of `hook`. */
  of(hook: string): HookMetrics {
    let metrics = this.byHook.get(hook);
    if (metrics === undefined) {
      metrics = new HookMetrics();
      this.byHook.set(hook, metrics);
    }
    return metrics;
  }

  /** Hook names that have metrics, sorted. */
  names(): string[] {
    return [...this.byHook.keys()].sort();
  }
}

/** What running an attempt needs from its dispatcher. */
export interface AttemptDeps {
  node: number;
  /** Names this cluster in forward keys (origin cluster, event, hook). */
  origin: string;
  runner: HandlerRunner;
  clock: Clock;
  emit(event: DispatchEvent): void;
}

/** One attempt to run and report. */
export interface AttemptSpec {
  term: number;
  mode: HookMode;
  hook: string;
  handler: HandlerDefinition;
  event: StateEvent;
  attempt: number;
  job: string | null;
  env: Record<string, string>;
  signal: AbortSignal;
  /** Whose rules run the handler. @defaultValue 'studio' */
  fidelity?: Fidelity;
  onProgress?(): void;
}

/** An attempt's outcome and how long its handler ran (node clock, ms). */
export interface FinishedAttempt {
  outcome: AttemptOutcome;
  durationMs: number;
}

/** Runs one attempt, reporting its start, live output and end. */
export async function runAttempt(
  deps: AttemptDeps,
  spec: AttemptSpec,
): Promise<FinishedAttempt> {
  const { node, clock } = deps;
  const { term, mode, hook, attempt, job } = spec;
  const eventId = spec.event.id;
  const started = clock.now();
  deps.emit({
    type: 'attempt-started',
    node,
    term,
    hook,
    mode,
    eventId,
    attempt,
    job,
    handlerType: spec.handler.type,
    at: started,
  });

  const outcome = await deps.runner.run({
    handler: spec.handler,
    event: spec.event,
    node,
    env: spec.env,
    signal: spec.signal,
    fidelity: spec.fidelity,
    onProgress: spec.onProgress,
    forwardKey: `${deps.origin}/${eventId.index}.${eventId.offset}/${hook}`,
    onOutput: (stream, text) =>
      deps.emit({
        type: 'attempt-output',
        node,
        term,
        hook,
        mode,
        eventId,
        attempt,
        stream,
        text,
      }),
  });

  const ended = clock.now();
  const durationMs = ended - started;
  deps.emit({
    type: 'attempt-finished',
    node,
    term,
    hook,
    mode,
    eventId,
    attempt,
    job,
    status: outcome.status,
    exitCode: outcome.exitCode,
    message: outcome.status === 'succeeded' ? null : outcome.message,
    durationMs,
    at: ended,
  });
  return { outcome, durationMs };
}
