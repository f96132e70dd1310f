// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { readEdnMap } from '../../../engine/check/edn-map';

describe('readEdnMap()', () => {
  it('reads keywords, strings, integers and nil, with or without commas', () => {
    const map = readEdnMap('{:a 1 :b "x, \\"y\\"\\n", :c :ok,:d nil :e -3}', 1);
    expect(Object.fromEntries(map)).toEqual({
      a: { kind: 'int', value: 1 },
      b: { kind: 'string', value: 'x, "y"\n' },
      c: { kind: 'keyword', name: 'ok' },
      d: { kind: 'nil' },
      e: { kind: 'int', value: -3 },
    });
  });

  it.each([
    ['{:a 1', /missing '\}'/],
    ['{:a [1 2]}', /expected a value/],
    ['{"a" 1}', /keyword key/],
    ['{:a 1 :a 2}', /duplicate key :a/],
    ['{:a 1} x', /after '\}'/],
    ['{:a "\\q"}', /unknown escape/],
    ['{:a 1.5}', /unsupported value/],
  ])('refuses %s with the line and column', (text, why) => {
    expect(() => readEdnMap(text, 7)).toThrow(why);
    expect(() => readEdnMap(text, 7)).toThrow(/^line 7: .* at column \d+$/);
  });
});
