import { createHash } from 'node:crypto';

import { toHookJson } from '../../state/hook-event';
import type { StateEvent } from '../../state/module';

/**
 * The de-duplication windows of job-mode hooks, kept in the replicated
 * state: whether an event repeats one seen within the window is decided at
 * apply time, by cluster time, so every replica drops the same events.
 *
 * Each hook's keys are kept in the order they were admitted, which is the
 * order they expire in as long as the window does not shrink; the snapshot
 * keeps that order, so a restored replica expires the same keys.
 *
 * @packageDocumentation
 */

/** A hook's window as the snapshot stores it: `[key, until]` in order. */
export type DedupImage = [hook: string, entries: [string, number][]];

/** What makes two events "the same" for dedup: topic and payload. */
export function dedupKey(event: StateEvent): string {
  return createHash('sha1')
    .update(event.topic)
    .update('\0')
    .update(toHookJson(event.payload))
    .digest('base64');
}

/** Every job-mode hook's dedup window. */
export class ReplicatedDedup {
  private windows = new Map<string, Map<string, number>>();

  /**
   * True the first time `key` is seen by `hook` within `windowMs` of
   * `now`; remembers it until `now + windowMs`.
   */
  admit(hook: string, key: string, now: number, windowMs: number): boolean {
    let window = this.windows.get(hook);
    if (window === undefined) {
      window = new Map();
      this.windows.set(hook, window);
    }
    for (const [known, until] of window) {
      if (until > now) {
        break;
      }
      window.delete(known);
    }
    if (window.has(key)) {
      return false;
    }
    window.set(key, now + windowMs);
    return true;
  }

  /** Plain data, hooks sorted by name, keys in admission order. */
  snapshot(): DedupImage[] {
    return [...this.windows]
      .filter(([, window]) => window.size > 0)
      .map(([hook, window]): DedupImage => [hook, [...window]])
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** Replaces every window with a snapshot's. */
  restore(images: readonly DedupImage[] | undefined): void {
    this.windows = new Map(
      (images ?? []).map(([hook, entries]) => [hook, new Map(entries)]),
    );
  }
}
