import { runAttempt, type AttemptDeps, type MetricsRegistry } from './attempts';
import type { Fidelity, PlannedHook } from './dispatch-config';
import type { DropReason } from './dispatch-events';
import { DedupWindow } from '../reliability/dedup-window';
import { RateLimiter } from '../reliability/rate-limiter';
import type { Disposable } from '../../ports/clock';
import type { StateEvent } from '../../state/module';
import { dedupKey } from './replicated-dedup';

/**
 * The fast path (DESIGN §3.4): a matching direct hook starts at once, in
 * log order, with one attempt. At most {@link DIRECT_SLOTS} run at once,
 * taken without waiting as production's semaphore is: a delivery that
 * finds every slot busy is dropped and counted (`saturated`). Nothing here
 * blocks apply: attempts run on their own.
 *
 * Opt-in per hook: a dedup window (`studio_dedup_window_ms`), and a
 * bounded queue (`studio_queue_bound`, and implied by `studio_rate_limit`)
 * whose deliveries wait for a slot and, when rate limited, for the larger
 * of a per-topic back-off and the hook's token bucket. A full queue drops
 * with `queue_full`.
 *
 * @packageDocumentation
 */

/** Direct attempts one node runs at once (production's semaphore). */
export const DIRECT_SLOTS = 32;

/** Queue bound of a rate-limited hook that sets none. */
export const DEFAULT_DIRECT_QUEUE_BOUND = 1000;

/** One delivery of an event to a direct hook. */
export interface DirectDelivery {
  hook: PlannedHook;
  event: StateEvent;
  term: number;
  env: Record<string, string>;
  /** Whose rules run the handler. @defaultValue 'studio' */
  fidelity?: Fidelity;
}

/** What the direct path needs from its dispatcher. */
export interface DirectDeps extends AttemptDeps {
  metrics: MetricsRegistry;
  /** Cluster time (ms) for rate limits and dedup windows. */
  clusterNow(): number;
  /** Slots. @defaultValue {@link DIRECT_SLOTS} */
  slots?: number;
}

// a hook's opt-in queue, dedup window and rate limiter
interface Lane {
  queue: DirectDelivery[];
  bound: number;
  limiter?: RateLimiter;
  timer?: Disposable;
  dedup?: DedupWindow;
  dedupMs?: number;
}

/** The direct deliveries of one node. */
export class DirectDispatch {
  private running = 0;
  private readonly lanes = new Map<string, Lane>();
  private readonly controllers = new Set<AbortController>();
  private readonly slots: number;

  constructor(private readonly deps: DirectDeps) {
    this.slots = deps.slots ?? DIRECT_SLOTS;
  }

  /** Attempts running now. */
  get inFlight(): number {
    return this.running;
  }

  /** Delivers an event to a matching direct hook (already counted). */
  deliver(delivery: DirectDelivery): void {
    const { hook, event } = delivery;
    const lane = this.lane(hook);
    if (lane?.dedup !== undefined) {
      const now = this.deps.clusterNow();
      if (!lane.dedup.admit(dedupKey(event), now)) {
        this.drop(delivery, 'duplicate');
        return;
      }
    }
    if (lane === undefined || lane.bound === 0) {
      this.start(delivery);
      return;
    }
    if (lane.queue.length >= lane.bound) {
      this.drop(delivery, 'queue_full');
      return;
    }
    lane.queue.push(delivery);
    this.pump(lane);
  }

  /**
   * Production's order (reference §7): one event's handlers run one after
   * another, each taking a slot without waiting or being dropped.
   */
  deliverInSequence(deliveries: readonly DirectDelivery[]): void {
    void (async () => {
      for (const delivery of deliveries) {
        if (this.running >= this.slots) {
          this.drop(delivery, 'saturated');
          continue;
        }
        this.running += 1;
        try {
          await this.attempt(delivery);
        } finally {
          this.release();
        }
      }
    })();
  }

  /**
   * Ends the direct path: running attempts are aborted (shell groups get
   * SIGKILL) and queued deliveries are dropped as `stopped`.
   */
  stop(): void {
    for (const controller of this.controllers) {
      controller.abort();
    }
    for (const lane of this.lanes.values()) {
      lane.timer?.dispose();
      for (const delivery of lane.queue.splice(0)) {
        this.drop(delivery, 'stopped');
      }
    }
    this.lanes.clear();
  }

  /** Drops what waits in the queues (leadership lost); running goes on. */
  dropQueued(): void {
    for (const lane of this.lanes.values()) {
      lane.timer?.dispose();
      lane.timer = undefined;
      for (const delivery of lane.queue.splice(0)) {
        this.drop(delivery, 'stopped');
      }
    }
  }

  private lane(hook: PlannedHook): Lane | undefined {
    const wantsQueue =
      hook.queueBound !== undefined || hook.rateLimit !== undefined;
    const dedupMs = hook.dedupWindowMs ?? 0;
    if (!wantsQueue && dedupMs === 0) {
      return undefined;
    }
    let lane = this.lanes.get(hook.name);
    if (lane === undefined) {
      lane = { queue: [], bound: 0 };
      this.lanes.set(hook.name, lane);
    }
    // settings follow the config in force; a changed limit starts afresh
    lane.bound = wantsQueue
      ? (hook.queueBound ?? DEFAULT_DIRECT_QUEUE_BOUND)
      : 0;
    const limit = hook.rateLimit;
    if (limit === undefined) {
      lane.limiter = undefined;
    } else if (lane.limiter === undefined) {
      lane.limiter = new RateLimiter(limit, this.deps.clusterNow());
    }
    if (dedupMs !== lane.dedupMs) {
      lane.dedupMs = dedupMs;
      lane.dedup = dedupMs > 0 ? new DedupWindow(dedupMs) : undefined;
    }
    return lane;
  }

  private pump(lane: Lane): void {
    while (lane.queue.length > 0 && lane.timer === undefined) {
      if (this.running >= this.slots) {
        return;
      }
      const head = lane.queue[0]!;
      const wait = lane.limiter?.delay(
        head.event.topic,
        this.deps.clusterNow(),
      );
      if (wait !== undefined && wait > 0) {
        lane.timer = this.deps.clock.setTimeout(() => {
          lane.timer = undefined;
          this.pump(lane);
        }, wait);
        return;
      }
      lane.queue.shift();
      this.start(head, lane);
    }
  }

  private start(delivery: DirectDelivery, lane?: Lane): void {
    if (this.running >= this.slots) {
      this.drop(delivery, 'saturated');
      return;
    }
    this.running += 1;
    void this.attempt(delivery, lane).finally(() => this.release());
  }

  private release(): void {
    this.running -= 1;
    for (const waiting of this.lanes.values()) {
      this.pump(waiting);
    }
  }

  private async attempt(delivery: DirectDelivery, lane?: Lane): Promise<void> {
    const { hook, event, term, env, fidelity } = delivery;
    const controller = new AbortController();
    this.controllers.add(controller);
    try {
      const { outcome, durationMs } = await runAttempt(this.deps, {
        term,
        mode: 'direct',
        hook: hook.name,
        handler: hook.definition,
        event,
        attempt: 1,
        job: null,
        env,
        fidelity,
        signal: controller.signal,
      });
      const metrics = this.deps.metrics.of(hook.name);
      if (outcome.status === 'aborted') {
        metrics.failed += 1;
        return;
      }
      metrics.recordLatency(durationMs);
      if (outcome.status === 'succeeded') {
        metrics.succeeded += 1;
        lane?.limiter?.forget(event.topic);
      } else {
        metrics.failed += 1;
        lane?.limiter?.failed(event.topic);
      }
    } finally {
      this.controllers.delete(controller);
    }
  }

  private drop(delivery: DirectDelivery, reason: DropReason): void {
    const { hook, event, term } = delivery;
    this.deps.metrics.of(hook.name).drop(reason);
    this.deps.emit({
      type: 'dropped',
      node: this.deps.node,
      term,
      hook: hook.name,
      mode: 'direct',
      eventId: event.id,
      reason,
    });
  }
}
