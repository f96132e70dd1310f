import type { Clock, Disposable } from '../ports/clock';
import type { Rng } from '../ports/rng';
import type { NodeId } from '../raft/types';

import type { FaultPlan } from './fault-plan';

/**
 * How long a held-back message waits for a later one on its link before it
 * goes alone (times the plan's delay scale), so a reorder fault on a quiet
 * link delays a message rather than losing it.
 */
export const HOLD_BACK_MAX_MS = 20;

/** What a {@link FaultGate} needs from the transport that owns it. */
export interface FaultGateOptions<T> {
  /** The sending node. */
  from: NodeId;
  /** The cluster's faults; without a plan every item passes straight on. */
  faults: FaultPlan | undefined;
  /** Source of every random fault decision. */
  rng: Rng;
  /** Drives delays and hold-back timeouts. */
  clock: Clock;
  /** Hands an item to the link towards `to`. */
  emit(to: NodeId, item: T): void;
  /** Told about each item a fault dropped. */
  drop(to: NodeId, item: T): void;
}

interface Held<T> {
  items: T[];
  timer: Disposable;
}

/**
 * Applies a {@link FaultPlan} to outgoing items on one node, the same way
 * for every transport: drop, duplicate, delay (on the injected clock) and
 * hold back behind the next item on the same link.
 */
export class FaultGate<T> {
  private readonly timers = new Set<Disposable>();
  private readonly held = new Map<NodeId, Held<T>>();
  private isDisposed = false;

  constructor(private readonly options: FaultGateOptions<T>) {}

  /** Items waiting on a delay or held back. */
  get pending(): number {
    let count = this.timers.size;
    this.held.forEach((entry) => (count += entry.items.length));
    return count;
  }

  /** Sends `item` towards `to` through the faults of that link. */
  pass(to: NodeId, item: T): void {
    const { faults } = this.options;
    if (faults === undefined) {
      this.release(to, item, false);
      return;
    }
    const decision = faults.decide(this.options.from, to, this.options.rng);
    if (!decision.deliver) {
      this.options.drop(to, item);
      return;
    }
    for (let copy = 0; copy < decision.copies; copy++) {
      if (decision.delayMs > 0) {
        this.later(to, item, decision.delayMs, decision.holdBack);
      } else {
        this.release(to, item, decision.holdBack);
      }
    }
  }

  /** Cancels every timer and forgets delayed and held items. */
  dispose(): void {
    this.isDisposed = true;
    this.timers.forEach((timer) => timer.dispose());
    this.timers.clear();
    this.held.forEach((entry) => entry.timer.dispose());
    this.held.clear();
  }

  private later(to: NodeId, item: T, delayMs: number, holdBack: boolean) {
    const timer = this.options.clock.setTimeout(() => {
      this.timers.delete(timer);
      this.release(to, item, holdBack);
    }, delayMs);
    this.timers.add(timer);
  }

  private release(to: NodeId, item: T, holdBack: boolean): void {
    if (this.isDisposed) {
      return;
    }
    if (holdBack) {
      this.hold(to, item);
      return;
    }
    this.options.emit(to, item);

    // whatever was held back on this link now goes out behind this item
    const entry = this.held.get(to);
    if (entry !== undefined) {
      this.flushHeld(to, entry);
    }
  }

  private hold(to: NodeId, item: T): void {
    const entry = this.held.get(to);
    if (entry !== undefined) {
      entry.items.push(item);
      return;
    }
    const scale = this.options.faults?.delayScale ?? 1;
    const created: Held<T> = {
      items: [item],
      timer: this.options.clock.setTimeout(
        () => this.flushHeld(to, created),
        HOLD_BACK_MAX_MS * scale,
      ),
    };
    this.held.set(to, created);
  }

  private flushHeld(to: NodeId, entry: Held<T>): void {
    this.held.delete(to);
    entry.timer.dispose();
    for (const item of entry.items) {
      this.options.emit(to, item);
    }
  }
}
