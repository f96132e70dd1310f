// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { fnv1a, Trace } from '../../../engine/sim/trace';

describe('fnv1a', () => {
  it('matches the published FNV-1a 32-bit vectors', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
});

describe('Trace', () => {
  it('gives the same digest for the same lines and mixes', () => {
    const a = new Trace();
    const b = new Trace();
    for (const trace of [a, b]) {
      trace.line(1, 'n1 leader term 2');
      trace.mix(42);
      trace.line(7, 'crash n2');
    }
    expect(a.digest()).toBe(b.digest());
  });

  it('changes the digest when an unlogged event differs', () => {
    const a = new Trace();
    const b = new Trace();
    a.mix(1);
    b.mix(2);
    expect(a.digest()).not.toBe(b.digest());
  });

  it('keeps only the latest lines when the tail is full', () => {
    const trace = new Trace({ tail: 3, keepAll: true });
    for (let i = 1; i <= 5; i++) {
      trace.line(i, `line ${i}`);
    }
    expect(trace.lastLines().map((l) => l.trim())).toEqual([
      '3 line 3',
      '4 line 4',
      '5 line 5',
    ]);
    expect(trace.allLines()).toHaveLength(5);
    expect(trace.lineCount).toBe(5);
  });
});
