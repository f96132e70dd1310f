const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * FNV-1a (32-bit) over the UTF-16 code units of `text`, continuing from
 * `hash`. Cheap and stable across platforms, which is all a determinism
 * check needs.
 */
export function fnv1a(text: string, hash = FNV_OFFSET): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

/** Options of a {@link Trace}. */
export interface TraceOptions {
  /**
   * Keep every line, not only the tail.
   * @defaultValue false
   */
  keepAll?: boolean;
  /**
   * How many of the latest lines to keep for a failure report.
   * @defaultValue 200
   */
  tail?: number;
}

/**
 * The readable log of one simulated run: one line per interesting event
 * (elections, role changes, crashes, partitions, commits, client ops). Every
 * line, and every event the run processed, is folded into a hash, so two
 * runs of one seed can be compared without keeping either trace whole.
 */
export class Trace {
  private hash = FNV_OFFSET;
  private count = 0;
  private readonly all: string[] | undefined;
  private readonly ring: string[] = [];
  private ringStart = 0;
  private readonly tail: number;

  constructor(options: TraceOptions = {}) {
    this.all = options.keepAll ? [] : undefined;
    this.tail = options.tail ?? 200;
  }

  /** Number of lines written. */
  get lineCount(): number {
    return this.count;
  }

  /** Appends one line stamped with virtual time `at` (ms). */
  line(at: number, text: string): void {
    const stamped = `${at.toString().padStart(7)} ${text}`;
    this.hash = fnv1a(stamped, this.hash);
    this.hash = fnv1a('\n', this.hash);
    this.count += 1;
    this.all?.push(stamped);
    if (this.tail === 0) {
      return;
    }
    if (this.ring.length < this.tail) {
      this.ring.push(stamped);
    } else {
      this.ring[this.ringStart] = stamped;
      this.ringStart = (this.ringStart + 1) % this.tail;
    }
  }

  /**
   * Folds an event that gets no line of its own (a tick, a delivery) into
   * the hash, so a divergence anywhere changes it.
   */
  mix(value: number): void {
    let h = this.hash ^ (value & 0xffff);
    h = Math.imul(h, FNV_PRIME) >>> 0;
    h ^= (value >>> 16) & 0xffff;
    this.hash = Math.imul(h, FNV_PRIME) >>> 0;
  }

  /** The hash of everything written so far, as 8 hex digits. */
  digest(): string {
    return this.hash.toString(16).padStart(8, '0');
  }

  /** The latest lines, oldest first. */
  lastLines(): string[] {
    return [
      ...this.ring.slice(this.ringStart),
      ...this.ring.slice(0, this.ringStart),
    ];
  }

  /** Every line, when kept (`keepAll`). */
  allLines(): string[] | undefined {
    return this.all?.slice();
  }
}
