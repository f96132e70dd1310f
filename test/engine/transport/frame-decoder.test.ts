// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { encodeFrames } from '../../../engine/transport/codec';
import { FrameTooLargeError } from '../../../engine/transport/errors';
import { FrameDecoder } from '../../../engine/transport/frame-decoder';

// cuts `bytes` at the given offsets (in any order, duplicates allowed)
function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))];
  points.sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

// the bodies one push completes
function collect(decoder: FrameDecoder, chunk: Uint8Array): Uint8Array[] {
  const bodies: Uint8Array[] = [];
  decoder.push(chunk, (body) => {
    bodies.push(body);
  });
  return bodies;
}

function header(size: number): Uint8Array {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, size);
  return bytes;
}

describe('FrameDecoder', () => {
  describe('push()', () => {
    it('yields the same bodies whatever the chunk boundaries', () => {
      const bodies = fc.array(fc.uint8Array({ maxLength: 300 }), {
        maxLength: 12,
      });
      const cuts = fc.array(fc.nat(), { maxLength: 40 });
      fc.assert(
        fc.property(bodies, cuts, (frames, at) => {
          const decoder = new FrameDecoder();
          const out: Uint8Array[] = [];
          for (const chunk of split(encodeFrames(frames), at)) {
            out.push(...collect(decoder, chunk));
          }
          expect(out.map((body) => [...body])).toStrictEqual(
            frames.map((body) => [...body]),
          );
          expect(decoder.buffered).toBe(0);
        }),
        { numRuns: 500 },
      );
    });

    it('counts the bytes of an incomplete frame as buffered', () => {
      const decoder = new FrameDecoder();
      const wire = encodeFrames([new Uint8Array(10)]);
      expect(collect(decoder, wire.subarray(0, 2))).toStrictEqual([]);
      expect(decoder.buffered).toBe(2);
      expect(collect(decoder, wire.subarray(2, 9))).toStrictEqual([]);
      expect(decoder.buffered).toBe(9);
      expect(collect(decoder, wire.subarray(9))).toHaveLength(1);
      expect(decoder.buffered).toBe(0);
    });

    it('rejects an oversized frame as soon as its header is read', () => {
      const decoder = new FrameDecoder(100);
      expect(() => collect(decoder, header(101))).toThrow(FrameTooLargeError);
      expect(() => collect(decoder, new Uint8Array(1))).toThrow(
        FrameTooLargeError,
      );
    });

    it('rejects an oversized header split across chunks', () => {
      const decoder = new FrameDecoder(); // 64 MiB
      const bytes = header(0xffffffff);
      expect(collect(decoder, bytes.subarray(0, 3))).toStrictEqual([]);
      try {
        collect(decoder, bytes.subarray(3));
        expect.fail('no error');
      } catch (error) {
        expect(error).toBeInstanceOf(FrameTooLargeError);
        expect((error as FrameTooLargeError).code).toBe('FRAME_TOO_LARGE');
        expect((error as FrameTooLargeError).size).toBe(0xffffffff);
      }
    });

    it('accepts a frame of exactly the limit', () => {
      const decoder = new FrameDecoder(4);
      expect(collect(decoder, encodeFrames([new Uint8Array(4)]))).toHaveLength(
        1,
      );
    });

    it('applies a limit raised by onFrame to the next frame', () => {
      const decoder = new FrameDecoder(4);
      const wire = encodeFrames([new Uint8Array(2), new Uint8Array(100)]);
      const sizes: number[] = [];
      decoder.push(wire, (body) => {
        sizes.push(body.length);
        decoder.maxFrameBytes = 1000;
      });
      expect(sizes).toStrictEqual([2, 100]);
    });

    it('stops reading the chunk when onFrame returns false', () => {
      const decoder = new FrameDecoder();
      const wire = encodeFrames([new Uint8Array(1), new Uint8Array(2)]);
      const sizes: number[] = [];
      decoder.push(wire, (body) => {
        sizes.push(body.length);
        return false;
      });
      expect(sizes).toStrictEqual([1]);
    });
  });
});
