import type { PublishMessage } from './commands';
import type { EventLog } from './events';
import { isHookTopic } from './hook-event';
import type {
  ApplyContext,
  EventId,
  StateEvent,
  StateModule,
  StoredHooksConfig,
} from './module';
import { errorResult, type ErrorResult } from './results';
import {
  checkSubject,
  InvalidSubjectError,
  isReserved,
} from '../pubsub/subject';
import type { Entry } from '../raft/types';
import { AspenError } from '../util/errors';

/**
 * Appends the events of the entry being applied, numbers them
 * `index.offset`, builds the {@link ApplyContext} modules see, and lets
 * modules observe every event of the entry, their own included.
 *
 * @packageDocumentation
 */

/** Most events one entry may append (a guard against observer loops). */
export const MAX_EVENTS_PER_ENTRY = 10_000;

/** Extra fields of an emitted event. */
interface EmitMeta {
  causation?: EventId;
  depth?: number;
  headers?: Record<string, string>;
}

/**
 * The topic an `observed` entry's kind stands for: a production hook
 * topic given by its suffix (`system.snapshot_created`), or a
 * `$`-reserved subject of the studio's own, used as is.
 */
export function topicOfObservation(kind: string): string | undefined {
  if (isHookTopic(`hooks.${kind}`)) {
    return `hooks.${kind}`;
  }
  if (isReserved(kind) && checkSubject(kind) === undefined) {
    return kind;
  }
  return undefined;
}

/** The per-entry event writer of the machine. */
export class StateEmitter {
  private events: StateEvent[] = [];
  private index = 0;
  private time = 0;

  constructor(
    private readonly log: EventLog,
    private readonly hooksConfig: () => StoredHooksConfig | undefined,
  ) {}

  /** Starts an entry; returns the context its work runs with. */
  begin(entry: Entry, time: number, random: number): ApplyContext {
    this.events = [];
    this.index = entry.index;
    this.time = time;
    return {
      index: entry.index,
      term: entry.term,
      now: time,
      random,
      emit: (topic, payload, meta) => this.emit(topic, payload, meta),
      pin: (id) => this.log.pin(id),
      unpin: (id) => this.log.unpin(id),
      event: (id) => this.log.get(id),
      hooksConfig: this.hooksConfig,
    };
  }

  /**
   * Appends an event of the current entry.
   *
   * @throws `INVALID_SUBJECT` for a malformed topic, `TOO_MANY_EVENTS`
   *   past {@link MAX_EVENTS_PER_ENTRY}.
   */
  emit(topic: string, payload: unknown, meta: EmitMeta = {}): EventId {
    const problem = checkSubject(topic);
    if (problem !== undefined) {
      throw new InvalidSubjectError(topic, problem);
    }
    if (this.events.length >= MAX_EVENTS_PER_ENTRY) {
      const why = `entry ${this.index} appended over ${MAX_EVENTS_PER_ENTRY} events`;
      throw new AspenError('TOO_MANY_EVENTS', why);
    }

    const id = { index: this.index, offset: this.events.length };
    const { causation, headers } = meta;
    const cause = causation === undefined ? undefined : this.log.get(causation);
    const depth =
      meta.depth ?? (causation === undefined ? 0 : (cause?.depth ?? 0) + 1);
    const event: StateEvent = {
      id,
      topic,
      time: this.time,
      payload: payload === undefined ? null : payload,
      depth,
    };
    if (causation !== undefined) {
      event.causation = { index: causation.index, offset: causation.offset };
    }
    if (headers !== undefined) {
      event.headers = headers;
    }
    this.log.append(event);
    this.events.push(event);
    return id;
  }

  /** Appends a user publish, already checked by {@link checkUserTopic}. */
  publish(message: PublishMessage): EventId {
    const { topic, payload, headers, causation, depth } = message;
    return this.emit(topic, payload, { headers, causation, depth });
  }

  /** Why a user may not publish on `topic`, or undefined when they may. */
  checkUserTopic(topic: string): ErrorResult | undefined {
    const problem = checkSubject(topic);
    if (problem !== undefined) {
      const { message } = new InvalidSubjectError(topic, problem);
      return errorResult('INVALID_SUBJECT', message);
    }
    if (isReserved(topic)) {
      const why = `subject ${JSON.stringify(topic)} starts with '$', which is reserved for the studio's own streams`;
      return errorResult('RESERVED_SUBJECT', why);
    }
    return undefined;
  }

  /** Shows every event of the entry, in order, to each module. */
  observe(
    modules: readonly [string, StateModule<unknown, unknown>][],
    ctx: ApplyContext,
  ): void {
    // events observers emit are observed too, in the order they came
    for (let i = 0; i < this.events.length; i++) {
      const event = this.events[i]!;
      for (const [, module] of modules) {
        module.observe?.(event, ctx);
      }
    }
  }

  /** Takes back every event of the current entry. */
  rollback(): void {
    this.log.dropLast(this.events.length);
    this.events = [];
  }

  /** The events of the entry just applied; starts a fresh list. */
  drain(): StateEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }
}
