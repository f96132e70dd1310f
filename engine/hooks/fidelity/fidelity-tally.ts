import { isProductionBridgeTopic } from '../dispatch/direct-routing';
import {
  matchingHooks,
  type DispatchConfig,
  type HandlerTarget,
  type HookMode,
  type PlannedHook,
} from '../dispatch/dispatch-config';
import type { DispatchEvent } from '../dispatch/dispatch-events';
import type { StateEvent } from '../../state/module';

/**
 * What one run of a comparison did with each hook, counted from the
 * run's events (which the fidelity's rules dispatch to which hook) and
 * every node's dispatch events (what ran where, and how it ended). Pure,
 * so it can be checked without a cluster.
 *
 * @packageDocumentation
 */

/** How the deliveries and executions of one hook ended. */
export interface HookOutcomes {
  succeeded: number;
  /** Failed for another reason than a timeout. */
  failed: number;
  timedOut: number;
  /**
   * Started and never ended by itself: its node was killed, or the run
   * stopped it while it hung.
   */
  unfinished: number;
  /** Deliveries never attempted (slots or queue full, a duplicate, a loop cut). */
  dropped: number;
  /** Job-mode matches whose job production builds and never runs. */
  neverRun: number;
  /** Studio, direct mode: no leader started it (`lost: leadership change`). */
  lost: number;
}

/** One hook in one run. */
export interface HookTally {
  name: string;
  mode: HookMode;
  handlerType: HandlerTarget['type'];
  isEnabled: boolean;
  /** Events the run's rules dispatch to the hook. */
  events: number;
  /** Their distinct topics, sorted. */
  topics: string[];
  /** Attempts started on every node, job retries included. */
  executions: number;
  /** Most nodes that ran (or dropped) one event for this hook. */
  nodesPerEvent: number;
  outcomes: HookOutcomes;
  /** Drops by reason (`saturated`, `queue_full`, `loop_cut`…). */
  dropReasons: Record<string, number>;
  /** Most stdout one attempt wrote, in bytes. */
  maxStdoutBytes: number;
  /** Other direct hooks that matched one of the same events, sorted. */
  sharesEventsWith: string[];
}

/** One run to count. */
export interface TallyInput {
  /** The config in force, compiled under the run's fidelity. */
  config: DispatchConfig;
  /** The run's events after its config entry, in log order. */
  events: readonly StateEvent[];
  /** Every node's dispatch events. */
  dispatch: readonly DispatchEvent[];
}

interface Counting {
  tally: HookTally;
  nodesByEvent: Map<string, Set<number>>;
  open: Set<string>;
  stdout: Map<string, number>;
  shared: Set<string>;
}

/** Counts every configured hook of one run, in config order. */
export function tallyRun(input: TallyInput): HookTally[] {
  const { config } = input;
  const counts = new Map<string, Counting>();
  for (const hook of config.hooks) {
    counts.set(hook.name, start(hook));
  }
  const matched = new Map<string, Set<string>>();
  for (const event of input.events) {
    const hooks = dispatchedHooks(config, event.topic);
    const direct = hooks.filter((hook) => hook.mode === 'direct');
    for (const hook of hooks) {
      const count = counts.get(hook.name)!;
      count.tally.events += 1;
      count.tally.topics.push(event.topic);
      const ids = matched.get(hook.name) ?? new Set();
      matched.set(hook.name, ids.add(idOf(event.id)));
      if (hook.mode === 'direct') {
        direct.forEach((other) => count.shared.add(other.name));
      }
    }
  }
  for (const event of input.dispatch) {
    record(counts, event);
  }
  return [...counts.values()].map((count) =>
    finish(count, config, matched.get(count.tally.name) ?? new Set()),
  );
}

/** The hooks the run's rules dispatch an event of `topic` to. */
export function dispatchedHooks(
  config: DispatchConfig,
  topic: string,
): PlannedHook[] {
  if (config.fidelity === 'production' && !isProductionBridgeTopic(topic)) {
    return [];
  }
  return [
    ...matchingHooks(config, topic, 'direct'),
    ...matchingHooks(config, topic, 'job'),
  ];
}

/** Whether a failure's message says it timed out (shell, in-process). */
export function isTimeoutMessage(message: string | null): boolean {
  return message !== null && /\btimed out\b/.test(message);
}

function start(hook: PlannedHook): Counting {
  return {
    tally: {
      name: hook.name,
      mode: hook.mode,
      handlerType: hook.definition.type,
      isEnabled: hook.isEnabled,
      events: 0,
      topics: [],
      executions: 0,
      nodesPerEvent: 0,
      outcomes: {
        succeeded: 0,
        failed: 0,
        timedOut: 0,
        unfinished: 0,
        dropped: 0,
        neverRun: 0,
        lost: 0,
      },
      dropReasons: {},
      maxStdoutBytes: 0,
      sharesEventsWith: [],
    },
    nodesByEvent: new Map(),
    open: new Set(),
    stdout: new Map(),
    shared: new Set(),
  };
}

function record(counts: Map<string, Counting>, event: DispatchEvent): void {
  if (event.type === 'leadership' || event.type === 'job-settled') {
    return;
  }
  if (event.type === 'loop-cut') {
    for (const hook of event.hooks) {
      const count = counts.get(hook);
      if (count !== undefined) {
        drop(count, 'loop_cut', event.node, idOf(event.eventId));
      }
    }
    return;
  }
  const count = counts.get(event.hook);
  if (count === undefined) {
    return;
  }
  const { tally } = count;
  const eventId = idOf(event.eventId);
  const attempt = `${event.node}/${eventId}/${'attempt' in event ? event.attempt : 0}`;
  switch (event.type) {
    case 'attempt-started':
      tally.executions += 1;
      count.open.add(attempt);
      nodesOf(count, eventId).add(event.node);
      return;
    case 'attempt-output':
      if (event.stream === 'stdout') {
        const bytes =
          (count.stdout.get(attempt) ?? 0) + Buffer.byteLength(event.text);
        count.stdout.set(attempt, bytes);
        tally.maxStdoutBytes = Math.max(tally.maxStdoutBytes, bytes);
      }
      return;
    case 'attempt-finished':
      count.open.delete(attempt);
      if (event.status === 'succeeded') {
        tally.outcomes.succeeded += 1;
      } else if (event.status === 'aborted') {
        tally.outcomes.unfinished += 1;
      } else if (isTimeoutMessage(event.message)) {
        tally.outcomes.timedOut += 1;
      } else {
        tally.outcomes.failed += 1;
      }
      return;
    case 'dropped':
      if (event.reason === 'never_submitted') {
        tally.outcomes.neverRun += 1;
        nodesOf(count, eventId).add(event.node);
      } else {
        drop(count, event.reason, event.node, eventId);
      }
      return;
  }
}

function drop(count: Counting, reason: string, node: number, id: string) {
  const { tally } = count;
  tally.outcomes.dropped += 1;
  tally.dropReasons[reason] = (tally.dropReasons[reason] ?? 0) + 1;
  nodesOf(count, id).add(node);
}

function finish(
  count: Counting,
  config: DispatchConfig,
  matched: Set<string>,
): HookTally {
  const { tally } = count;
  tally.outcomes.unfinished += count.open.size;
  tally.topics = [...new Set(tally.topics)].sort();
  tally.nodesPerEvent = Math.max(
    0,
    ...[...count.nodesByEvent.values()].map((nodes) => nodes.size),
  );
  count.shared.delete(tally.name);
  tally.sharesEventsWith = [...count.shared].sort();
  // the studio dispatches a direct match once, on the leader of its term;
  // a match no node reported was lost to a leadership change
  if (config.fidelity === 'studio' && tally.mode === 'direct') {
    const reported = [...matched].filter((id) => count.nodesByEvent.has(id));
    tally.outcomes.lost = matched.size - reported.length;
  }
  return tally;
}

function nodesOf(count: Counting, eventId: string): Set<number> {
  let nodes = count.nodesByEvent.get(eventId);
  if (nodes === undefined) {
    nodes = new Set();
    count.nodesByEvent.set(eventId, nodes);
  }
  return nodes;
}

function idOf(id: { index: number; offset: number }): string {
  return `${id.index}.${id.offset}`;
}
