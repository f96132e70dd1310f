import type {
  ApplyContext,
  EventId,
  StateEvent,
} from '../../../../engine/state/module';

/**
 * An in-memory {@link ApplyContext} for module tests: the test moves the
 * entry (index, term, time, random) by hand; emitted events are kept in
 * order; pins are refcounted and an unpin without a pin throws, so a
 * module that releases twice fails its test.
 */
export class TestContext implements ApplyContext {
  index = 0;
  term = 1;
  now = 0;
  random = 0;
  readonly events: StateEvent[] = [];
  readonly pins = new Map<string, number>();
  private offset = 0;

  /** Starts the next entry, optionally at a later time or another term. */
  next(patch: { now?: number; term?: number; random?: number } = {}): this {
    this.index += 1;
    this.offset = 0;
    this.now = Math.max(this.now, patch.now ?? this.now);
    this.term = patch.term ?? this.term;
    this.random = patch.random ?? 0;
    return this;
  }

  emit = (
    topic: string,
    payload: unknown,
    meta?: { causation?: EventId; depth?: number },
  ): EventId => {
    const id = { index: this.index, offset: this.offset++ };
    this.events.push({
      id,
      topic,
      time: this.now,
      payload,
      ...(meta?.causation && { causation: meta.causation }),
      depth: meta?.depth ?? 0,
    });
    return id;
  };

  pin(id: EventId): boolean {
    const key = `${id.index}.${id.offset}`;
    this.pins.set(key, (this.pins.get(key) ?? 0) + 1);
    return true;
  }

  unpin(id: EventId): void {
    const key = `${id.index}.${id.offset}`;
    const count = this.pins.get(key) ?? 0;
    if (count <= 0) {
      throw new Error(`unpin of ${key} without a pin`);
    }
    if (count === 1) {
      this.pins.delete(key);
    } else {
      this.pins.set(key, count - 1);
    }
  }

  event(id: EventId): StateEvent | undefined {
    return this.events.find(
      (event) => event.id.index === id.index && event.id.offset === id.offset,
    );
  }

  hooksConfig(): undefined {
    return undefined;
  }

  /** The topics emitted so far, in order. */
  topics(): string[] {
    return this.events.map((event) => event.topic);
  }
}
