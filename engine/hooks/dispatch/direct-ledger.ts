import type { DispatchEvent, DropReason } from './dispatch-events';
import type { EventId, StateEvent } from '../../state/module';

/**
 * What became of each direct delivery, seen from every node at once (the
 * studio's view). A leader dispatches only entries of its own term after
 * its election entry, so a committed event no leader started is not
 * pending forever: once a later election entry is in the log, it was lost
 * to a leadership change, and this ledger says so (DESIGN §3.4).
 *
 * @packageDocumentation
 */

/** The fate of one (event, direct hook) pair. */
export type DirectFate =
  | { fate: 'attempted'; node: number; status: string | null }
  | { fate: 'dropped'; node: number; reason: DropReason }
  | { fate: 'loop_cut'; node: number }
  /** Committed, and no leader started it: `lost: leadership change`. */
  | { fate: 'lost'; reason: 'leadership_change' }
  /** Committed, not started yet, and no later election: may still run. */
  | { fate: 'pending' };

/** One delivery and its fate. */
export type DirectDelivery = { eventId: EventId; hook: string } & DirectFate;

/** Collects every node's direct dispatch events. */
export class DirectLedger {
  private readonly fates = new Map<string, DirectFate>();
  private readonly starts = new Map<string, number>();

  /** Takes one dispatch event from any node. */
  record(event: DispatchEvent): void {
    if (event.type === 'loop-cut') {
      if (event.mode === 'direct') {
        for (const hook of event.hooks) {
          const fate = { fate: 'loop_cut' as const, node: event.node };
          this.fates.set(keyOf(event.eventId, hook), fate);
        }
      }
      return;
    }
    if (event.type === 'leadership' || event.mode !== 'direct') {
      return;
    }
    const key = keyOf(event.eventId, event.hook);
    if (event.type === 'attempt-started') {
      this.starts.set(key, (this.starts.get(key) ?? 0) + 1);
      this.fates.set(key, {
        fate: 'attempted',
        node: event.node,
        status: null,
      });
    } else if (event.type === 'attempt-finished') {
      this.fates.set(key, {
        fate: 'attempted',
        node: event.node,
        status: event.status,
      });
    } else if (event.type === 'dropped') {
      this.fates.set(key, {
        fate: 'dropped',
        node: event.node,
        reason: event.reason,
      });
    }
  }

  /** How many times a delivery was started, over every node (0 or 1). */
  startsOf(eventId: EventId, hook: string): number {
    return this.starts.get(keyOf(eventId, hook)) ?? 0;
  }

  /**
   * The fate of every delivery of `events` (committed, in log order) to
   * the direct hooks `hooksOf` names; `electionIndexes` are the indexes
   * of the log's election entries.
   */
  settle(
    events: readonly StateEvent[],
    hooksOf: (event: StateEvent) => readonly string[],
    electionIndexes: readonly number[],
  ): DirectDelivery[] {
    const lastElection = Math.max(0, ...electionIndexes);
    return events.flatMap((event) =>
      hooksOf(event).map((hook): DirectDelivery => {
        const known = this.fates.get(keyOf(event.id, hook));
        const fate: DirectFate =
          known ??
          (lastElection > event.id.index
            ? { fate: 'lost', reason: 'leadership_change' }
            : { fate: 'pending' });
        return { eventId: event.id, hook, ...fate };
      }),
    );
  }
}

function keyOf(id: EventId, hook: string): string {
  return `${id.index}.${id.offset}/${hook}`;
}
