// @vitest-environment node
import fc from 'fast-check';
import { pack, unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';

import {
  decodeBatch,
  decodeHello,
  decodeMessage,
  encodeBatch,
  encodeFrames,
  encodeHello,
  encodeMessage,
  PROTOCOL_VERSION,
} from '../../../engine/transport/codec';
import { BadFrameError } from '../../../engine/transport/errors';
import { AspenError } from '../../../engine/util/errors';

import { makeEntry, makeMessage, messageArbitrary } from './messages';

function expectBadFrame(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(AspenError);
    expect((error as AspenError).code).toBe('BAD_FRAME');
    return;
  }
  expect.fail('decoding did not throw');
}

// the wire tuple of a message with one entry and a snapshot chunk, to break
const sample = makeMessage(1, 2, {
  type: 'snap',
  entries: [makeEntry(5)],
  snapshot: {
    meta: { index: 4, term: 2, conf: { voters: [1, 2], learners: [3] } },
    offset: 0,
    total: 10,
    data: new Uint8Array(4),
  },
});

function sampleTuple(): unknown[] {
  return unpack(encodeMessage(sample)) as unknown[];
}

describe('codec', () => {
  describe('encodeMessage()', () => {
    it('round-trips every valid message exactly', () => {
      fc.assert(
        fc.property(messageArbitrary, (message) => {
          expect(decodeMessage(encodeMessage(message))).toStrictEqual(message);
        }),
        { numRuns: 500 },
      );
    });

    it('gives decoded entry data its own plain Uint8Array', () => {
      const bytes = Buffer.from(encodeMessage(sample));
      const decoded = decodeMessage(bytes);
      bytes.fill(0);
      const data = decoded.entries[0]?.data;
      expect(data?.constructor).toBe(Uint8Array);
      expect(data).toStrictEqual(sample.entries[0]?.data);
    });
  });

  describe('encodeBatch()', () => {
    it('round-trips a batch in order', () => {
      fc.assert(
        fc.property(fc.array(messageArbitrary, { maxLength: 8 }), (batch) => {
          expect(decodeBatch(encodeBatch(batch))).toStrictEqual(batch);
        }),
        { numRuns: 200 },
      );
    });
  });

  describe('decodeMessage()', () => {
    it('throws only BAD_FRAME on random bytes', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
          expectBadFrame(() => decodeMessage(bytes));
        }),
        { numRuns: 3000 },
      );
    });

    it('throws only BAD_FRAME on corrupted or truncated encodings', () => {
      const corrupted = fc
        .tuple(
          messageArbitrary,
          fc.nat(),
          fc.integer({ min: 1, max: 255 }),
          fc.boolean(),
        )
        .map(([message, at, xor, isTruncated]) => {
          const bytes = Uint8Array.from(encodeMessage(message));
          if (isTruncated) {
            return bytes.subarray(0, at % bytes.length);
          }
          const i = at % bytes.length;
          bytes[i] = (bytes[i] as number) ^ xor;
          return bytes;
        });
      fc.assert(
        fc.property(corrupted, (bytes) => {
          try {
            decodeMessage(bytes);
          } catch (error) {
            expect((error as AspenError).code).toBe('BAD_FRAME');
          }
        }),
        { numRuns: 3000 },
      );
    });

    it('survives hostile headers and still decodes afterwards', () => {
      const hostile = [
        new Uint8Array(200_000).fill(0x91), // nesting deeper than the stack
        Uint8Array.of(0xdb, 0xff, 0xff, 0xff, 0xff, 0x61), // 4 GiB string
        Uint8Array.of(0xdd, 0xff, 0xff, 0xff, 0xff), // 4 G-item array
        Uint8Array.of(0xd6, 0xff, 0, 0, 0, 0), // a timestamp (Date)
        Uint8Array.of(0xd4, 0x70, 0), // a structured-clone pointer
        new Uint8Array(0),
      ];
      for (const bytes of hostile) {
        expectBadFrame(() => decodeMessage(bytes));
        expect(decodeMessage(encodeMessage(sample))).toStrictEqual(sample);
      }
    });

    it('throws BAD_FRAME for any other MessagePack value', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          expectBadFrame(() => decodeMessage(pack(value)));
        }),
      );
    });

    it('rejects a wrongly typed value in any field', () => {
      const wrong = ['x', -1, 1.5, null, true, [], { a: 1 }, 2 ** 64];
      // no entries and no snapshot are valid; true is a valid `reject`
      const isValid = (field: number, value: unknown) =>
        (field === 6 && Array.isArray(value)) ||
        (field === 8 && value === true) ||
        (field === 12 && value === null);
      for (let field = 0; field < sampleTuple().length; field++) {
        for (const value of wrong) {
          const tuple = sampleTuple();
          if (isValid(field, value)) {
            continue;
          }
          tuple[field] = value;
          expectBadFrame(() => decodeMessage(pack(tuple)));
        }
      }
    });

    it('rejects node id 0, an unknown type and a bad entry list', () => {
      const cases: [number, unknown][] = [
        [1, 0],
        [2, 0],
        [0, 13],
        [6, [1, 1, 0]],
        [6, [1, 1, 0, 'data']],
        [6, [0, 1, 0, new Uint8Array(1)]],
        [6, [1, 1, 3, new Uint8Array(1)]],
      ];
      for (const [field, value] of cases) {
        const tuple = sampleTuple();
        tuple[field] = value;
        expectBadFrame(() => decodeMessage(pack(tuple)));
      }
    });

    it('rejects a snapshot chunk that runs past its total', () => {
      const tuple = sampleTuple();
      const chunk = tuple[12] as unknown[];
      chunk[4] = 8;
      expectBadFrame(() => decodeMessage(pack(tuple)));
    });

    it('rejects a tuple with an extra field or trailing bytes', () => {
      expectBadFrame(() => decodeMessage(pack([...sampleTuple(), 0])));
      const bytes = encodeMessage(sample);
      const padded = new Uint8Array(bytes.length + 1);
      padded.set(bytes);
      expectBadFrame(() => decodeMessage(padded));
    });
  });

  describe('decodeBatch()', () => {
    it('rejects the whole batch when one message is invalid', () => {
      const good = unpack(encodeMessage(sample));
      const bad = sampleTuple();
      bad[3] = -1;
      expect(() => decodeBatch(pack([good, bad]))).toThrow(/message 1/);
      expectBadFrame(() => decodeBatch(pack([good, bad])));
      expectBadFrame(() => decodeBatch(pack({ not: 'a batch' })));
    });
  });

  describe('decodeHello()', () => {
    it('round-trips a handshake', () => {
      const hello = { version: PROTOCOL_VERSION, clusterId: 'c-1', from: 3 };
      expect(decodeHello(encodeHello(hello))).toStrictEqual(hello);
    });

    it('rejects a message, an empty cluster id and node id 0', () => {
      expectBadFrame(() => decodeHello(encodeMessage(sample)));
      expectBadFrame(() =>
        decodeHello(encodeHello({ version: 1, clusterId: '', from: 1 })),
      );
      expectBadFrame(() =>
        decodeHello(encodeHello({ version: 1, clusterId: 'c', from: 0 })),
      );
      expect(() => decodeHello(new Uint8Array([0xc1]))).toThrow(BadFrameError);
    });
  });

  describe('encodeFrames()', () => {
    it('prefixes each body with its big-endian length', () => {
      const out = encodeFrames([new Uint8Array([7, 8]), new Uint8Array(0)]);
      expect([...out]).toStrictEqual([0, 0, 0, 2, 7, 8, 0, 0, 0, 0]);
    });
  });
});
