/**
 * Keeps the first `limit` bytes of a stream and counts the rest, so a
 * chatty handler cannot fill memory (DESIGN §3.4: bounded per attempt).
 */
export class BoundedOutput {
  private readonly chunks: Uint8Array[] = [];
  private kept = 0;
  /** Every byte seen, kept or not. */
  totalBytes = 0;

  constructor(private readonly limit: number) {}

  /** Records a chunk; returns the part that was kept (maybe empty). */
  push(chunk: Uint8Array): Uint8Array {
    this.totalBytes += chunk.byteLength;
    const room = this.limit - this.kept;
    if (room <= 0) {
      return chunk.subarray(0, 0);
    }
    const part = chunk.byteLength <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.byteLength;
    return part;
  }

  /** The kept bytes. */
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }

  /** Bytes seen but not kept. */
  get droppedBytes(): number {
    return this.totalBytes - this.kept;
  }

  /**
   * The kept bytes as text; invalid UTF-8 becomes U+FFFD rather than an
   * error, so any handler output can be shown.
   */
  text(): string {
    return new TextDecoder('utf-8', { fatal: false }).decode(this.bytes());
  }
}
