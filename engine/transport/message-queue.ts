import type { Message } from '../raft/types';

// rough per-message and per-entry overheads on the wire, in bytes
const MESSAGE_OVERHEAD = 48;
const ENTRY_OVERHEAD = 16;

/**
 * A rough encoded size of `message`, cheap enough to compute on every send:
 * what the queue's byte bound counts.
 */
export function estimateSize(message: Message): number {
  let size = MESSAGE_OVERHEAD;
  for (const entry of message.entries) {
    size += ENTRY_OVERHEAD + entry.data.length;
  }
  if (message.snapshot !== undefined) {
    size += MESSAGE_OVERHEAD + message.snapshot.data.length;
  }
  return size;
}

/**
 * A FIFO of messages bounded by count and by estimated bytes. When full it
 * drops the oldest: for Raft the newest messages carry the freshest term
 * and commit index, and a stale append or vote is worth least.
 */
export class MessageQueue {
  // dropped slots are cleared at once so a large message is freed early
  private items: (Message | undefined)[] = [];
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {}

  /** Messages waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Estimated bytes waiting. */
  get byteSize(): number {
    return this.bytes;
  }

  /**
   * Appends `message`, then drops the oldest messages until both bounds
   * hold again (the newest always stays). Returns how many were dropped.
   */
  push(message: Message): number {
    const size = estimateSize(message);
    this.items.push(message);
    this.sizes.push(size);
    this.bytes += size;
    let dropped = 0;
    while (
      this.length > 1 &&
      (this.length > this.maxCount || this.bytes > this.maxBytes)
    ) {
      this.bytes -= this.sizes[this.head] as number;
      this.items[this.head] = undefined;
      this.head++;
      dropped++;
    }
    if (dropped > 0) {
      this.compact();
    }
    return dropped;
  }

  /** Removes and returns every waiting message, oldest first. */
  takeAll(): Message[] {
    const taken = (
      this.head === 0 ? this.items : this.items.slice(this.head)
    ) as Message[];
    this.items = [];
    this.sizes = [];
    this.head = 0;
    this.bytes = 0;
    return taken;
  }

  /** Forgets every waiting message. */
  clear(): void {
    this.takeAll();
  }

  // drops the consumed prefix once it outweighs what is still waiting
  private compact(): void {
    if (this.head > 64 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }
}
