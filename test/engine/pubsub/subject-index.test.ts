// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  InvalidPatternError,
  InvalidSubjectError,
  matchSubject,
} from '../../../engine/pubsub/subject';
import { SubjectIndex } from '../../../engine/pubsub/subject-index';

function indexOf(entries: Array<[string, string]>): SubjectIndex<string> {
  const index = new SubjectIndex<string>();
  for (const [pattern, value] of entries) {
    index.add(pattern, value);
  }
  return index;
}

describe('SubjectIndex', () => {
  describe('match()', () => {
    it('orders values by insertion when they sit in several nodes', () => {
      const index = indexOf([
        ['a.>', 'tail'],
        ['a.b', 'exact'],
        ['>', 'all'],
        ['*.b', 'star'],
        ['a.c', 'other'],
        ['a.b', 'exact-2'],
      ]);

      expect(index.match('a.b')).toEqual([
        'tail',
        'exact',
        'all',
        'star',
        'exact-2',
      ]);
      expect(index.match('a')).toEqual(['all']);
      expect(index.match('a.b.c')).toEqual(['tail', 'all']);
      expect(index.match('x.y')).toEqual(['all']);
    });

    it('needs one or more tokens for a trailing >', () => {
      const index = indexOf([['orders.>', 'tail']]);

      expect(index.match('orders')).toEqual([]);
      expect(index.match('orders.eu.paid')).toEqual(['tail']);
    });

    it('keeps leading wildcards away from reserved subjects', () => {
      const index = indexOf([
        ['>', 'all'],
        ['*.events', 'star'],
        ['$studio.>', 'studio'],
        ['$studio.*', 'studio-star'],
      ]);

      expect(index.match('$studio.events')).toEqual(['studio', 'studio-star']);
      expect(index.match('app.events')).toEqual(['all', 'star']);
    });

    it('throws INVALID_SUBJECT when the subject is malformed', () => {
      const index = indexOf([['>', 'all']]);

      expect(() => index.match('a.*')).toThrow(InvalidSubjectError);
      expect(() => index.match('a..b')).toThrow(/token 1 "" \(offset 2\)/);
    });
  });

  describe('add()', () => {
    it('ignores a (pattern, value) pair it already holds', () => {
      const index = indexOf([
        ['a.*', 'one'],
        ['a.b', 'two'],
      ]);

      expect(index.add('a.*', 'one')).toBe(false);
      expect(index.size).toBe(2);
      expect(index.match('a.b')).toEqual(['one', 'two']);
    });

    it('throws INVALID_PATTERN and adds nothing for a bad pattern', () => {
      const index = new SubjectIndex<string>();

      expect(() => index.add('a.>.b', 'x')).toThrow(InvalidPatternError);
      expect(() => index.add('a*', 'x')).toThrow(/wildcard/);
      expect(index.size).toBe(0);
      expect(index.nodeCount).toBe(0);
    });
  });

  describe('remove()', () => {
    it('removes one entry and keeps the others in order', () => {
      const index = indexOf([
        ['a.b', 'one'],
        ['a.b', 'two'],
        ['a.*', 'three'],
      ]);

      expect(index.remove('a.b', 'one')).toBe(true);
      expect(index.remove('a.b', 'one')).toBe(false);
      expect(index.remove('a.c', 'two')).toBe(false);
      expect(index.remove('a.>', 'three')).toBe(false);
      expect(index.size).toBe(2);
      expect(index.match('a.b')).toEqual(['two', 'three']);
    });

    it('gives a value added again a new place at the end', () => {
      const index = indexOf([
        ['a', 'first'],
        ['a', 'second'],
      ]);

      index.remove('a', 'first');
      index.add('a', 'first');

      expect(index.match('a')).toEqual(['second', 'first']);
    });

    it('frees every node when every entry is removed', () => {
      const patterns = ['a.b.c', 'a.*.c', 'a.>', 'x.y', 'a.b', '*', '>'];
      const index = indexOf(patterns.map((p) => [p, p]));
      expect(index.nodeCount).toBe(8);

      for (const pattern of patterns) {
        expect(index.remove(pattern, pattern)).toBe(true);
      }

      expect(index.size).toBe(0);
      expect(index.nodeCount).toBe(0);
      expect(index.match('a.b.c')).toEqual([]);
    });
  });

  // the index must answer exactly what filtering every entry would
  it('agrees with matchSubject over every entry after adds and removes', () => {
    const token = fc.constantFrom('a', 'b', 'c', 'é', '中文', '$a', '$');
    const pattern = fc
      .tuple(
        fc.array(fc.oneof(token, fc.constant('*')), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.boolean(),
      )
      .map(([tokens, isTail]) => [...tokens, ...(isTail ? ['>'] : [])])
      .map((tokens) => tokens.join('.'));
    const subject = fc
      .array(token, { minLength: 1, maxLength: 5 })
      .map((tokens) => tokens.join('.'));
    const step = fc.record({
      isRemove: fc.boolean(),
      pattern,
      value: fc.integer({ min: 0, max: 3 }),
    });

    fc.assert(
      fc.property(
        fc.array(step, { maxLength: 60 }),
        fc.array(subject, { minLength: 1, maxLength: 20 }),
        (steps, subjects) => {
          const index = new SubjectIndex<number>();
          let model: Array<{ pattern: string; value: number }> = [];

          for (const { isRemove, pattern, value } of steps) {
            const at = model.findIndex(
              (e) => e.pattern === pattern && e.value === value,
            );
            if (isRemove) {
              expect(index.remove(pattern, value)).toBe(at !== -1);
              model = model.filter((_, i) => i !== at);
            } else {
              expect(index.add(pattern, value)).toBe(at === -1);
              if (at === -1) {
                model.push({ pattern, value });
              }
            }
          }

          expect(index.size).toBe(model.length);
          for (const s of subjects) {
            const expected = model
              .filter((e) => matchSubject(e.pattern, s))
              .map((e) => e.value);
            expect(index.match(s)).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
