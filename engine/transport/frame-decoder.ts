import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES } from './codec';
import { FrameTooLargeError } from './errors';

/**
 * Splits a byte stream into frame bodies (a 4-byte big-endian length, then
 * that many bytes), whatever the chunk boundaries. A body that sits whole
 * inside one chunk is returned as a view of it; a body spread over chunks is
 * copied once into a buffer of exactly its size, so a large frame never
 * costs repeated concatenation.
 *
 * After it throws, the stream is out of step: discard the decoder and close
 * the connection.
 */
export class FrameDecoder {
  /**
   * The largest body accepted. May be changed between chunks (the transport
   * allows only a small frame before the handshake).
   */
  maxFrameBytes: number;

  private readonly header = new Uint8Array(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private body: Uint8Array | null = null;
  private bodyFill = 0;
  private failure: Error | null = null;

  constructor(maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes held for a frame that is not complete yet. */
  get buffered(): number {
    return this.body === null
      ? this.headerFill
      : FRAME_HEADER_BYTES + this.bodyFill;
  }

  /**
   * Feeds a chunk, calling `onFrame` with each body it completes, in order.
   * Each call returns before the next header is read, so `onFrame` may
   * change {@link FrameDecoder.maxFrameBytes} for the frames after it, or
   * return `false` to stop reading this chunk (the connection is closing).
   *
   * @throws {@link FrameTooLargeError} as soon as a header announces a body
   * over {@link FrameDecoder.maxFrameBytes}.
   */
  push(chunk: Uint8Array, onFrame: (body: Uint8Array) => boolean | void): void {
    if (this.failure !== null) {
      throw this.failure;
    }
    let offset = 0;
    let isReading = true;
    while (isReading && offset < chunk.length) {
      let body: Uint8Array | null = null;
      if (this.body !== null) {
        [offset, body] = this.fillBody(chunk, offset);
      } else if (
        this.headerFill === 0 &&
        chunk.length - offset >= FRAME_HEADER_BYTES
      ) {
        // fast path: a whole header, and often the whole body, in this chunk
        const size = this.checkSize(readUint32(chunk, offset));
        offset += FRAME_HEADER_BYTES;
        if (chunk.length - offset >= size) {
          body = chunk.subarray(offset, offset + size);
          offset += size;
        } else {
          this.startBody(size);
        }
      } else {
        // a header split across chunks
        this.header[this.headerFill++] = chunk[offset++] as number;
        if (this.headerFill === FRAME_HEADER_BYTES) {
          this.headerFill = 0;
          const size = this.checkSize(readUint32(this.header, 0));
          if (size === 0) {
            body = new Uint8Array(0);
          } else {
            this.startBody(size);
          }
        }
      }
      if (body !== null) {
        isReading = onFrame(body) !== false;
      }
    }
  }

  private startBody(size: number): void {
    this.body = new Uint8Array(size);
    this.bodyFill = 0;
  }

  // copies what `chunk` holds of the current body; returns the new offset
  // and the body if that completed it
  private fillBody(
    chunk: Uint8Array,
    offset: number,
  ): [number, Uint8Array | null] {
    const body = this.body as Uint8Array;
    const count = Math.min(body.length - this.bodyFill, chunk.length - offset);
    body.set(chunk.subarray(offset, offset + count), this.bodyFill);
    this.bodyFill += count;
    if (this.bodyFill < body.length) {
      return [offset + count, null];
    }
    this.body = null;
    return [offset + count, body];
  }

  private checkSize(size: number): number {
    if (size > this.maxFrameBytes) {
      this.failure = new FrameTooLargeError(size, this.maxFrameBytes);
      throw this.failure;
    }
    return size;
  }
}

function readUint32(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset] as number) * 0x1000000 +
    (((bytes[offset + 1] as number) << 16) |
      ((bytes[offset + 2] as number) << 8) |
      (bytes[offset + 3] as number))
  );
}
