import type { Operation } from './linearizability';

/** Marks the end of the list and "no return" in {@link EventList.returnOf}. */
export const NONE = -1;

/**
 * The calls and returns of a history as a doubly linked list in time order.
 * Node 0 is the head; every other node is one event. Linearizing an
 * operation lifts its call and return out of the list, and backtracking
 * puts them back in reverse order (as in dancing links), so both are O(1)
 * and need no copies.
 */
export class EventList {
  /** The node after each node, or {@link NONE}. */
  readonly next: Int32Array;
  /** The node before each node (the head's is {@link NONE}). */
  readonly prev: Int32Array;
  /** The operation index each node belongs to. */
  readonly opOf: Int32Array;
  /** For a call node, its return node; {@link NONE} for returns. */
  readonly returnOf: Int32Array;

  /**
   * Calls at the same time as a return come first: with a coarse clock the
   * two may have overlapped, and assuming an order the clock cannot show
   * would report violations that did not happen. Unknown outcomes return
   * at +infinity, after everything else.
   */
  constructor(ops: readonly Operation<unknown, unknown>[]) {
    const events: { time: number; isCall: boolean; op: number }[] = [];
    ops.forEach((op, index) => {
      events.push({ time: op.call, isCall: true, op: index });
      events.push({ time: op.return ?? Infinity, isCall: false, op: index });
    });
    events.sort(
      (a, b) =>
        compareTimes(a.time, b.time) ||
        Number(b.isCall) - Number(a.isCall) ||
        a.op - b.op,
    );

    const size = events.length + 1;
    this.next = new Int32Array(size);
    this.prev = new Int32Array(size);
    this.opOf = new Int32Array(size).fill(NONE);
    this.returnOf = new Int32Array(size).fill(NONE);
    const callNode = new Int32Array(ops.length);
    events.forEach((event, index) => {
      const node = index + 1;
      this.opOf[node] = event.op;
      if (event.isCall) {
        callNode[event.op] = node;
      } else {
        this.returnOf[callNode[event.op]!] = node;
      }
    });
    for (let node = 0; node < size; node += 1) {
      this.next[node] = node + 1 < size ? node + 1 : NONE;
      this.prev[node] = node - 1;
    }
  }

  /** The first event still in the list, or {@link NONE} when it is empty. */
  first(): number {
    return this.next[0]!;
  }

  /** Whether `node` is a call (as opposed to a return). */
  isCall(node: number): boolean {
    return this.returnOf[node] !== NONE;
  }

  /** Takes a call and its return out of the list. */
  lift(call: number): void {
    this.unlink(call);
    this.unlink(this.returnOf[call]!);
  }

  /** Undoes the latest {@link EventList.lift}, which must have been of `call`. */
  unlift(call: number): void {
    this.relink(this.returnOf[call]!);
    this.relink(call);
  }

  private unlink(node: number): void {
    const before = this.prev[node]!;
    const after = this.next[node]!;
    this.next[before] = after;
    if (after !== NONE) {
      this.prev[after] = before;
    }
  }

  // the node still remembers its neighbours, which are exactly where it
  // goes back as long as relinks happen in reverse order of unlinks
  private relink(node: number): void {
    const after = this.next[node]!;
    this.next[this.prev[node]!] = node;
    if (after !== NONE) {
      this.prev[after] = node;
    }
  }
}

function compareTimes(a: number, b: number): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}
