import type { Clock } from '../../ports/clock';

/** How long `auto` trusts a subject's stream lookup. */
export const DEFAULT_STREAM_CACHE_MS = 5000;

/** Subjects remembered at most; the oldest entry goes first. */
export const MAX_CACHED_SUBJECTS = 1024;

interface Entry {
  stream: string | null;
  until: number;
}

/**
 * Which JetStream stream covers a subject, remembered briefly so that
 * `auto` forwards do not pay a JetStream API round trip each. Concurrent
 * lookups of one subject share a single request. A stream created or
 * deleted meanwhile is noticed when the entry expires, or at once when a
 * publish finds the remembered stream gone ({@link StreamLookup.forget}).
 */
export class StreamLookup {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<string | null>>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number = DEFAULT_STREAM_CACHE_MS,
  ) {}

  /**
   * The remembered answer: a stream name, null for none, or undefined when
   * nothing fresh is known.
   */
  cached(subject: string): string | null | undefined {
    const entry = this.entries.get(subject);
    if (entry === undefined) {
      return undefined;
    }
    if (this.clock.now() >= entry.until) {
      this.entries.delete(subject);
      return undefined;
    }
    return entry.stream;
  }

  /**
   * Looks `subject` up with `find` (null: no stream covers it), or joins a
   * lookup already on its way.
   */
  lookup(
    subject: string,
    find: (subject: string) => Promise<string | null>,
  ): Promise<string | null> {
    const running = this.pending.get(subject);
    if (running !== undefined) {
      return running;
    }
    const lookup = find(subject).then((stream) => {
      this.remember(subject, stream);
      return stream;
    });
    this.pending.set(subject, lookup);
    const settle = () => {
      if (this.pending.get(subject) === lookup) {
        this.pending.delete(subject);
      }
    };
    lookup.then(settle, settle);
    return lookup;
  }

  /** Drops what is known about `subject`. */
  forget(subject: string): void {
    this.entries.delete(subject);
  }

  /**
   * Stops sharing lookups on their way: they were sent on a connection
   * that is gone, and will only time out.
   */
  abandonPending(): void {
    this.pending.clear();
  }

  private remember(subject: string, stream: string | null): void {
    if (this.ttlMs <= 0) {
      return;
    }
    this.entries.delete(subject);
    if (this.entries.size >= MAX_CACHED_SUBJECTS) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) {
        this.entries.delete(oldest.value);
      }
    }
    this.entries.set(subject, {
      stream,
      until: this.clock.now() + this.ttlMs,
    });
  }
}
