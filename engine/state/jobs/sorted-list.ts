/**
 * An array kept sorted by an explicit total order. The job queues and the
 * consumer-group backlogs use it so that which item comes next never depends
 * on insertion history or on Map/Set iteration order: a replica rebuilt
 * from a snapshot orders its items exactly as one that replayed the log.
 *
 * Inserts and removals are O(n) moves after an O(log n) search, which is
 * plenty for the studio's queue sizes (thousands, not millions).
 *
 * @packageDocumentation
 */

/**
 * A sorted array under `compare`, which must be a total order: two distinct
 * items never compare equal (end every key with a unique sequence or id).
 */
export class SortedList<T> {
  private readonly items: T[] = [];

  /** @param compare - negative when `a` sorts first; 0 only for one item */
  constructor(private readonly compare: (a: T, b: T) => number) {}

  /** Number of items. */
  get size(): number {
    return this.items.length;
  }

  /** Adds an item at its place in the order. */
  insert(item: T): void {
    this.items.splice(this.lowerBound(item), 0, item);
  }

  /** Removes the item that compares equal to `item`; false if absent. */
  remove(item: T): boolean {
    const at = this.lowerBound(item);
    const found = this.items[at];
    if (found === undefined || this.compare(found, item) !== 0) {
      return false;
    }
    this.items.splice(at, 1);
    return true;
  }

  /** The item at a position of the order (0 is first). */
  at(position: number): T | undefined {
    return this.items[position];
  }

  /** The items in order, as a read-only view. */
  values(): readonly T[] {
    return this.items;
  }

  /** Removes every item. */
  clear(): void {
    this.items.length = 0;
  }

  private lowerBound(item: T): number {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compare(this.items[middle] as T, item) < 0) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }
}
