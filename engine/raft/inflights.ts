/**
 * The append messages sent to one follower and not yet acknowledged, as a
 * ring of (last index, bytes). It bounds pipelining by count and by bytes;
 * the byte total is kept exact so it can never leak and stall replication
 * (reference/raft.md §2 bug 20, etcd-io/raft PR #54).
 */
export class Inflights {
  private indexes: number[] = [];
  private sizes: number[] = [];
  private start = 0;
  private count = 0;
  private totalBytes = 0;

  constructor(
    private readonly maxCount: number,
    private readonly maxBytes: number,
  ) {}

  /** Messages in flight. */
  get size(): number {
    return this.count;
  }

  /** Entry bytes in flight. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Whether no further message may be sent until an ack frees room. */
  isFull(): boolean {
    return this.count >= this.maxCount || this.totalBytes >= this.maxBytes;
  }

  /** Records a message whose last entry is `index`; indexes only grow. */
  add(index: number, bytes: number): void {
    const slot = (this.start + this.count) % this.maxCount;
    if (this.indexes.length < this.maxCount && slot === this.indexes.length) {
      this.indexes.push(index);
      this.sizes.push(bytes);
    } else {
      this.indexes[slot] = index;
      this.sizes[slot] = bytes;
    }
    this.count += 1;
    this.totalBytes += bytes;
  }

  /** Frees every message whose last index is at or below `index`. */
  freeLE(index: number): void {
    while (this.count > 0 && this.indexes[this.start]! <= index) {
      this.totalBytes -= this.sizes[this.start]!;
      this.start = (this.start + 1) % this.maxCount;
      this.count -= 1;
    }
    if (this.count === 0) {
      this.start = 0;
      this.totalBytes = 0;
    }
  }

  /** Forgets everything in flight (the mode changed). */
  reset(): void {
    this.start = 0;
    this.count = 0;
    this.totalBytes = 0;
  }
}
