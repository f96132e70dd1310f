// @vitest-environment node
import fc from 'fast-check';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';

import type { Entry } from '../../../engine/raft/types';
import {
  decodeEntry,
  decodeHardState,
  encodeEntry,
  keyNumber,
  numberedKey,
  RecordVersionError,
} from '../../../engine/storage/level-codec';

describe('level-codec', () => {
  describe('numberedKey()', () => {
    it('sorts keys bytewise in the numeric order of their indexes', () => {
      const index = fc.oneof(
        fc.nat(),
        fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      );
      fc.assert(
        fc.property(index, index, (a, b) => {
          const order = Buffer.compare(numberedKey(3, a), numberedKey(3, b));
          expect(order).toBe(Math.sign(a - b));
          expect(keyNumber(numberedKey(3, a))).toBe(a);
        }),
      );
    });

    it('puts 2^32 right after 2^32 - 1', () => {
      const below = numberedKey(3, 0xffff_ffff);
      const above = numberedKey(3, 0x1_0000_0000);

      expect([...above]).toEqual([3, 0, 0, 0, 1, 0, 0, 0, 0]);
      expect(Buffer.compare(below, above)).toBe(-1);
    });
  });

  describe('encodeEntry()', () => {
    it('round-trips every entry type with its bytes intact', () => {
      const types: Entry['type'][] = ['normal', 'config', 'leader'];
      for (const [i, type] of types.entries()) {
        const entry = { index: 9, term: 4, type, data: Uint8Array.of(i, 0) };

        const decoded = decodeEntry(9, encodeEntry(entry));

        expect(decoded).toEqual(entry);
        expect(decoded.data).toBeInstanceOf(Uint8Array);
      }
    });

    it('stores the data as msgpack binary, not as an array of numbers', () => {
      const data = new Uint8Array(200).fill(7);

      const value = encodeEntry({ index: 1, term: 1, type: 'normal', data });

      // array header 1, version, term and type 1 each, bin 8 header 2
      expect(value.length).toBe(200 + 6);
    });
  });

  describe('decodeHardState()', () => {
    it('throws RecordVersionError for a record of an unknown version', () => {
      const value = new Packr({ useRecords: false }).pack([2, 1, 1, 0]);

      expect(() => decodeHardState(value)).toThrow(RecordVersionError);
    });
  });
});
