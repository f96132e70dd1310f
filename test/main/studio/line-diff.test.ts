// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { diffLines, splitLines } from '../../../main/studio/line-diff';
import type { DiffLine } from '../../../preload/contract';

function sides(diff: DiffLine[]): [string[], string[]] {
  return [
    diff.filter((d) => d.kind !== 'added').map((d) => d.text),
    diff.filter((d) => d.kind !== 'removed').map((d) => d.text),
  ];
}

describe('diffLines()', () => {
  it('marks every line the same when nothing changed', () => {
    expect(diffLines('a\nb\n', 'a\nb\n')).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'same', text: 'b', oldLine: 2, newLine: 2 },
    ]);
  });

  it('numbers a changed line on both sides', () => {
    expect(diffLines('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'removed', text: 'b', oldLine: 2, newLine: null },
      { kind: 'added', text: 'B', oldLine: null, newLine: 2 },
      { kind: 'same', text: 'c', oldLine: 3, newLine: 3 },
      { kind: 'added', text: 'd', oldLine: null, newLine: 4 },
    ]);
  });

  it('shows a whole new file as added when nothing ran before', () => {
    const diff = diffLines('', 'x\ny');
    expect(diff.map((d) => d.kind)).toEqual(['added', 'added']);
  });

  it('keeps the edit script shortest around a moved block', () => {
    const diff = diffLines('a\nb\nc\nd\n', 'b\nc\nd\na\n');
    expect(diff.filter((d) => d.kind !== 'same')).toHaveLength(2);
  });

  it('falls back to remove-then-add when the edits exceed the limit', () => {
    const before = 'a\nb\nc\nd\n';
    const after = 'w\nx\ny\nz\n';
    const diff = diffLines(before, after, 2);
    expect(diff.map((d) => d.kind)).toEqual([
      ...Array(4).fill('removed'),
      ...Array(4).fill('added'),
    ]);
  });

  it('rebuilds both texts from any diff', () => {
    const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), {
      maxLength: 30,
    });
    fc.assert(
      fc.property(lines, lines, fc.nat(40), (a, b, maxEdits) => {
        const before = a.map((l) => `${l}\n`).join('');
        const after = b.map((l) => `${l}\n`).join('');
        const diff = diffLines(before, after, maxEdits);
        expect(sides(diff)).toEqual([splitLines(before), splitLines(after)]);
        const changed = diff.filter((d) => d.kind !== 'same').length;
        // an unbounded search never does worse than replacing everything
        expect(changed).toBeLessThanOrEqual(a.length + b.length);
      }),
    );
  });
});
