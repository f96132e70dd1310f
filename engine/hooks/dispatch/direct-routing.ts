import type { MetricsRegistry } from './attempts';
import type { DirectDispatch } from './direct-dispatch';
import { matchingHooks, type DispatchConfig } from './dispatch-config';
import type { DispatchEvent } from './dispatch-events';
import type { StateEvent } from '../../state/module';

/**
 * Which direct deliveries one applied event makes, under each fidelity.
 * The studio's rules: every matching direct hook, unless the event's
 * causation depth reached `[studio] max_depth`, which cuts the loop and
 * says so. Production's (reference §7): the matching direct hooks one
 * after another, no loop cut, no in-process timeout; job hooks are
 * counted and never run.
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

/** Routes an event as a production node would, on any node. */
export function routeProduction(
  ctx: RoutingContext,
  event: StateEvent,
  config: DispatchConfig,
  term: number,
): void {
  for (const hook of matchingHooks(config, event.topic, 'job')) {
    const metrics = ctx.metrics.of(hook.name);
    metrics.matched += 1;
    metrics.drop('never_submitted');
  }
  const hooks = matchingHooks(config, event.topic, 'direct');
  for (const hook of hooks) {
    ctx.metrics.of(hook.name).matched += 1;
  }
  const deliveries = hooks.map((hook) => ({
    hook,
    event,
    term,
    env: config.env,
    hasTimeout: false,
  }));
  ctx.direct.deliverInSequence(deliveries);
}
