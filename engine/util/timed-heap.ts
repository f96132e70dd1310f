/** Something due at a time, with a sequence number to break ties. */
export interface Timed {
  /** When it is due. */
  at: number;
  /** Insertion order: equal times come out first-in, first-out. */
  seq: number;
}

/** Whether `a` comes out of a timed heap before `b`. */
export function isEarlier(a: Timed, b: Timed): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * Moves `heap[index]` up a binary min-heap ordered by (at, seq) until its
 * parent is earlier. Used by the simulator's event queue and the cluster
 * clock's timers, which both need a deterministic order for equal times.
 */
export function siftUp<T extends Timed>(heap: T[], index: number): void {
  const item = heap[index]!;
  while (index > 0) {
    const parent = (index - 1) >> 1;
    if (!isEarlier(item, heap[parent]!)) {
      break;
    }
    heap[index] = heap[parent]!;
    index = parent;
  }
  heap[index] = item;
}

/** Moves `heap[index]` down until both its children are later. */
export function siftDown<T extends Timed>(heap: T[], index: number): void {
  const item = heap[index]!;
  for (;;) {
    const left = 2 * index + 1;
    if (left >= heap.length) {
      break;
    }
    const right = left + 1;
    const child =
      right < heap.length && isEarlier(heap[right]!, heap[left]!)
        ? right
        : left;
    if (!isEarlier(heap[child]!, item)) {
      break;
    }
    heap[index] = heap[child]!;
    index = child;
  }
  heap[index] = item;
}
