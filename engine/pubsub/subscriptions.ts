import { matchSubject, parsePattern } from './subject';
import { SubjectIndex } from './subject-index';
import { CompactedError } from '../state/events';
import { compareEventIds, nextEventId } from '../state/event-id';
import type { AppliedEntry } from '../state/machine';
import type { EventId, StateEvent } from '../state/module';
import { AspenError } from '../util/errors';

/**
 * Node-local subscriptions over the replicated event log (DESIGN §3.3).
 * Nothing here is replicated: each node serves its own subscribers from
 * the events its state machine applies.
 *
 * A subscription starts from a retained id, from now, or from where a
 * named consumer left off. It replays retained events from the log, then
 * switches to live delivery as entries are applied; both sides go by the
 * subscription's cursor (the next id it has not been given), so nothing
 * is skipped or given twice across the switch. Live fan-out goes through a
 * {@link SubjectIndex}, so an event costs the same however many
 * subscriptions there are.
 *
 * `onEvent` may return a promise: the subscription waits for it before the
 * next event. Events applied meanwhile are buffered; when the buffer
 * overflows, the subscriber is told it lagged (`onLag`, reason `slow`,
 * with where it resumes) and is then fed from the log instead, so it
 * misses nothing unless retention trims past it, which is told again
 * (reason `compacted`, with the first id it missed). A synchronous
 * `onEvent` runs inside apply: keep it short.
 *
 * @packageDocumentation
 */

/** Where a subscription starts. */
export type SubscribeFrom = EventId | 'now' | { consumer: string };

/** What `onLag` tells. */
export interface Lag {
  /** Delivery continues from this id. */
  resumeFrom: EventId;
  /** `slow`: the buffer overflowed; `compacted`: events were lost. */
  reason: 'slow' | 'compacted';
  /** With `compacted`: the first id that was never delivered. */
  missedFrom?: EventId;
}

/** What `onBookmark` tells a quiet subscription. */
export interface Bookmark {
  /** Every event up to this applied index was considered. */
  index: number;
  /** Where to resubscribe to miss nothing after it. */
  resumeFrom: EventId;
}

/** Options of {@link Subscriptions.subscribe}. */
export interface SubscribeOptions {
  /** A NATS pattern (`orders.*`, `hooks.>`). */
  pattern: string;
  from: SubscribeFrom;
  /** Gets each matching event in log order, once. */
  onEvent(event: StateEvent): void | Promise<void>;
  onLag?(lag: Lag): void;
  onBookmark?(bookmark: Bookmark): void;
  /** `onEvent` threw or rejected; the subscription is closed. */
  onError?(error: unknown): void;
}

/** A live subscription. */
export interface Subscription {
  readonly pattern: string;
  /** The next id it has not been given. */
  position(): EventId;
  close(): void;
}

/** Options of {@link Subscriptions}. */
export interface SubscriptionsOptions {
  /** Events buffered per subscription before it lags. @defaultValue 1000 */
  bufferSize?: number;
  /** Applied entries without a delivery before a bookmark. @defaultValue 100 */
  bookmarkEvery?: number;
  /** Events read from the log at a time while replaying. @defaultValue 256 */
  replayPage?: number;
  /** Consumer positions saved from an earlier run. */
  positions?: Iterable<[string, EventId]>;
}

/** What subscriptions need of the state machine. */
export interface EventSource {
  readonly lastApplied: { index: number };
  eventsFrom(from: EventId, limit?: number): StateEvent[];
  onApplied(listener: (applied: AppliedEntry) => void): () => void;
  onRestored(listener: () => void): () => void;
}

interface Sub {
  readonly options: SubscribeOptions;
  readonly consumer: string | undefined;
  cursor: EventId;
  mode: 'replay' | 'live' | 'closed';
  buffer: StateEvent[];
  isBusy: boolean;
  /** Applied-entry count at the last delivery or bookmark. */
  lastActive: number;
}

/** The subscriptions of one node, fed by its state machine. */
export class Subscriptions {
  private readonly live = new SubjectIndex<Sub>();
  private readonly subs = new Set<Sub>();
  private readonly positions: Map<string, EventId>;
  // applied-entry count -> quiet subscriptions to check then
  private readonly wheel = new Map<number, Set<Sub>>();
  private applied = 0;
  private readonly bufferSize: number;
  private readonly bookmarkEvery: number;
  private readonly replayPage: number;
  private readonly unhook: (() => void)[];

  constructor(
    private readonly source: EventSource,
    options: SubscriptionsOptions = {},
  ) {
    this.bufferSize = options.bufferSize ?? 1000;
    this.bookmarkEvery = options.bookmarkEvery ?? 100;
    this.replayPage = options.replayPage ?? 256;
    this.positions = new Map(options.positions ?? []);
    this.unhook = [
      source.onApplied((applied) => this.onApplied(applied)),
      source.onRestored(() => this.onRestored()),
    ];
  }

  /**
   * Starts a subscription. Delivery begins on a microtask, after this
   * returns.
   *
   * @throws `INVALID_PATTERN` for a malformed pattern; `COMPACTED` when
   *   `from` is an id below the retained range; `CONSUMER_BUSY` when the
   *   named consumer already has a subscription.
   */
  subscribe(options: SubscribeOptions): Subscription {
    parsePattern(options.pattern);
    const { from } = options;
    const name =
      typeof from === 'object' && 'consumer' in from
        ? from.consumer
        : undefined;
    if (name !== undefined && [...this.subs].some((s) => s.consumer === name)) {
      const why = `consumer ${JSON.stringify(name)} is already subscribed`;
      throw new AspenError('CONSUMER_BUSY', why);
    }

    const now = { index: this.source.lastApplied.index + 1, offset: 0 };
    let cursor: EventId;
    if (from === 'now') {
      cursor = now;
    } else if (name !== undefined) {
      // a consumer below retention is told through onLag, not refused
      cursor = this.positions.get(name) ?? now;
    } else {
      const { index, offset } = from as EventId;
      cursor = { index, offset };
      this.source.eventsFrom(cursor, 0);
    }

    const sub: Sub = {
      options,
      consumer: name,
      cursor,
      mode: 'replay',
      buffer: [],
      isBusy: false,
      lastActive: this.applied,
    };
    this.subs.add(sub);
    this.schedule(sub, this.applied + this.bookmarkEvery);
    queueMicrotask(() => this.pump(sub));
    return {
      pattern: options.pattern,
      position: () => ({ ...sub.cursor }),
      close: () => this.close(sub),
    };
  }

  /** Where a named consumer resumes, if it ever consumed. */
  position(consumer: string): EventId | undefined {
    return this.positions.get(consumer);
  }

  /** Every consumer's position, by name (to save across runs). */
  consumerPositions(): [string, EventId][] {
    return [...this.positions].sort(([a], [b]) => (a < b ? -1 : 1));
  }

  /** Ends every subscription and stops listening to the machine. */
  dispose(): void {
    this.unhook.forEach((unhook) => unhook());
    [...this.subs].forEach((sub) => this.close(sub));
  }

  private onApplied({ index, events }: AppliedEntry): void {
    this.applied += 1;
    const touched = new Set<Sub>();
    for (const event of events) {
      for (const sub of this.live.match(event.topic)) {
        this.push(sub, event);
        touched.add(sub);
      }
    }
    for (const sub of touched) {
      this.pump(sub);
    }
    this.bookmarks(index);
  }

  private push(sub: Sub, event: StateEvent): void {
    if (compareEventIds(event.id, sub.cursor) < 0) {
      return;
    }
    sub.buffer.push(event);
    if (sub.buffer.length <= this.bufferSize) {
      return;
    }
    // too slow: drop the buffer and feed it from the log instead
    sub.buffer = [];
    this.leaveLive(sub);
    sub.options.onLag?.({ resumeFrom: { ...sub.cursor }, reason: 'slow' });
  }

  // the state jumped to a snapshot: what live subscribers were waiting
  // for is now in the log (or was compacted)
  private onRestored(): void {
    for (const sub of this.subs) {
      if (sub.mode === 'live') {
        sub.buffer = [];
        this.leaveLive(sub);
        queueMicrotask(() => this.pump(sub));
      }
    }
  }

  private bookmarks(index: number): void {
    const due = this.wheel.get(this.applied);
    if (due === undefined) {
      return;
    }
    this.wheel.delete(this.applied);
    for (const sub of due) {
      if (sub.mode === 'closed') {
        continue;
      }
      const next = sub.lastActive + this.bookmarkEvery;
      if (next > this.applied) {
        this.schedule(sub, next);
        continue;
      }
      // only a caught-up subscription can vouch for everything applied
      if (sub.mode !== 'live' || sub.isBusy || sub.buffer.length > 0) {
        this.schedule(sub, this.applied + this.bookmarkEvery);
        continue;
      }
      const resumeFrom = { index: index + 1, offset: 0 };
      if (compareEventIds(sub.cursor, resumeFrom) < 0) {
        sub.cursor = resumeFrom;
      }
      sub.lastActive = this.applied;
      this.save(sub, resumeFrom);
      this.schedule(sub, this.applied + this.bookmarkEvery);
      sub.options.onBookmark?.({ index, resumeFrom: { ...resumeFrom } });
    }
  }

  private schedule(sub: Sub, at: number): void {
    // a bookmark is only ever seen by onBookmark or a consumer's stored
    // position; without either, 100k quiet subscriptions cost nothing
    if (sub.options.onBookmark === undefined && sub.consumer === undefined) {
      return;
    }
    const set = this.wheel.get(at) ?? new Set<Sub>();
    set.add(sub);
    this.wheel.set(at, set);
  }

  // delivers until the buffer is empty, the log is caught up or a handler
  // returns a promise (then it resumes when that settles)
  private pump(sub: Sub): void {
    while (sub.mode !== 'closed' && !sub.isBusy) {
      const event = sub.mode === 'live' ? sub.buffer.shift() : this.next(sub);
      if (event === undefined) {
        return;
      }
      this.deliver(sub, event);
    }
  }

  // the next matching event from the log, or undefined once caught up
  // (the subscription is then live)
  private next(sub: Sub): StateEvent | undefined {
    for (;;) {
      let page: StateEvent[];
      try {
        page = this.source.eventsFrom(sub.cursor, this.replayPage);
      } catch (error) {
        if (!(error instanceof CompactedError)) {
          throw error;
        }
        const missedFrom = { ...sub.cursor };
        sub.cursor = { ...error.earliest };
        const resumeFrom = { ...error.earliest };
        sub.options.onLag?.({ resumeFrom, reason: 'compacted', missedFrom });
        continue;
      }
      if (page.length === 0) {
        sub.mode = 'live';
        this.live.add(sub.options.pattern, sub);
        return undefined;
      }
      const found = page.find((e) =>
        matchSubject(sub.options.pattern, e.topic),
      );
      if (found !== undefined) {
        return found;
      }
      sub.cursor = nextEventId(page[page.length - 1]!.id);
    }
  }

  private deliver(sub: Sub, event: StateEvent): void {
    sub.cursor = nextEventId(event.id);
    sub.lastActive = this.applied;
    let outcome: void | Promise<void>;
    try {
      outcome = sub.options.onEvent(event);
    } catch (error) {
      this.fail(sub, error);
      return;
    }
    if (outcome === undefined || typeof outcome.then !== 'function') {
      this.save(sub, sub.cursor);
      return;
    }
    sub.isBusy = true;
    const after = { ...sub.cursor };
    outcome.then(
      () => {
        sub.isBusy = false;
        this.save(sub, after);
        this.pump(sub);
      },
      (error: unknown) => this.fail(sub, error),
    );
  }

  private save(sub: Sub, position: EventId): void {
    if (sub.consumer !== undefined && sub.mode !== 'closed') {
      this.positions.set(sub.consumer, { ...position });
    }
  }

  private fail(sub: Sub, error: unknown): void {
    this.close(sub);
    sub.options.onError?.(error);
  }

  private leaveLive(sub: Sub): void {
    if (sub.mode === 'live') {
      this.live.remove(sub.options.pattern, sub);
      sub.mode = 'replay';
    }
  }

  private close(sub: Sub): void {
    this.leaveLive(sub);
    sub.mode = 'closed';
    sub.buffer = [];
    this.subs.delete(sub);
  }
}
