import type { MetricsRegistry } from './attempts';
import type { DirectDispatch } from './direct-dispatch';
import { matchingHooks, type DispatchConfig } from './dispatch-config';
import type { DispatchEvent } from './dispatch-events';
import { PRODUCTION_TOPICS } from '../config/production-topics';
import type { StateEvent } from '../../state/module';

/**
 * Which direct deliveries one applied event makes, under each fidelity.
 * The studio's rules: every matching direct hook, unless the event's
 * causation depth reached `[studio] max_depth`, which cuts the loop and
 * says so. Production's (reference §7): only its bridges' events, the
 * matching direct hooks one after another, no loop cut, no studio keys,
 * no in-process timeout; job hooks are counted and never run.
 *
 * @packageDocumentation
 */

/** What routing needs from the dispatcher. */
export interface RoutingContext {
  node: number;
  direct: DirectDispatch;
  metrics: MetricsRegistry;
  emit(event: DispatchEvent): void;
}

/** Routes an event of the leader's term to the direct hooks it matches. */
export function routeDirect(
  ctx: RoutingContext,
  event: StateEvent,
  config: DispatchConfig,
  term: number,
): void {
  const hooks = matchingHooks(config, event.topic, 'direct');
  if (hooks.length === 0) {
    return;
  }
  for (const hook of hooks) {
    ctx.metrics.of(hook.name).matched += 1;
  }
  if (event.depth >= config.maxDepth) {
    const names = hooks.map((hook) => hook.name);
    names.forEach((name) => (ctx.metrics.of(name).loopCut += 1));
    ctx.emit({
      type: 'loop-cut',
      node: ctx.node,
      term,
      mode: 'direct',
      eventId: event.id,
      hooks: names,
      depth: event.depth,
      maxDepth: config.maxDepth,
    });
    return;
  }
  for (const hook of hooks) {
    ctx.direct.deliver({ hook, event, term, env: config.env });
  }
}

// the topics production's own bridges emit (reference §2.2)
const BRIDGE_TOPICS = new Set(
  PRODUCTION_TOPICS.filter((topic) => topic.isEmitted).map(
    ({ topic }) => topic,
  ),
);

/**
 * Whether production dispatches events of `topic` to hooks at all. Only
 * its bridges' events reach `HookService::dispatch` (reference §7, §9):
 * user publishes, the studio's `$` streams and the topics production
 * defines but never emits reach no hook. A StateEvent does not say who
 * wrote it, so a user publish on a bridge topic still counts as one.
 */
export function isProductionBridgeTopic(topic: string): boolean {
  return BRIDGE_TOPICS.has(topic);
}

/** Routes an event as a production node would, on any node. */
export function routeProduction(
  ctx: RoutingContext,
  event: StateEvent,
  config: DispatchConfig,
  term: number,
): void {
  if (!isProductionBridgeTopic(event.topic)) {
    return;
  }
  // the spec is built and counted, and nothing ever submits it
  for (const hook of matchingHooks(config, event.topic, 'job')) {
    const metrics = ctx.metrics.of(hook.name);
    metrics.matched += 1;
    metrics.drop('never_submitted');
    ctx.emit({
      type: 'dropped',
      node: ctx.node,
      term,
      hook: hook.name,
      mode: 'job',
      eventId: event.id,
      reason: 'never_submitted',
    });
  }
  const hooks = matchingHooks(config, event.topic, 'direct');
  if (hooks.length === 0) {
    return;
  }
  for (const hook of hooks) {
    ctx.metrics.of(hook.name).matched += 1;
  }
  // production never reads [studio.env]; the runner gives the handler the
  // node's whole environment instead
  const deliveries = hooks.map((hook) => ({
    hook,
    event,
    term,
    env: {},
    fidelity: 'production' as const,
  }));
  ctx.direct.deliverInSequence(deliveries);
}
