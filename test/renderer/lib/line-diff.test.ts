import { describe, expect, it } from 'vitest';

import { diffLines } from '../../../renderer/src/lib/line-diff';

describe('diffLines()', () => {
  it('keeps common lines and marks additions and removals', () => {
    expect(diffLines('a\nb\nc', 'a\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'del', text: 'b' },
      { kind: 'same', text: 'c' },
      { kind: 'add', text: 'd' },
    ]);
  });

  it('reports no change for equal texts', () => {
    expect(diffLines('x\ny', 'x\ny').every((l) => l.kind === 'same')).toBe(
      true,
    );
  });
});
