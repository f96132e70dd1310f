// @vitest-environment node
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';

import type { KeyPath } from '../../../../engine/hooks/config/diagnostic';
import { locateToml } from '../../../../engine/hooks/config/toml-locator';
import {
  mapTomlStringOffset,
  readTomlString,
} from '../../../../engine/hooks/config/toml-strings';
import { tomlString } from '../../../../engine/hooks/config/toml-writer';

// a document that tries every way a naive line scanner gets lost
const TRICKY = `# [[hooks.handlers]] in a comment is not a header
[hooks] # trailing comment
enabled = true
banner = """
[[hooks.handlers]]
name = "not a key"
"""
literal = '''
timeout_ms = 1 '''

[[hooks.handlers]]
name = "a" # the first
"quoted.key" = 1
studio_rate_limit.per_second = 2

[[hooks.handlers]]
name = 'b'
studio_rate_limit = { per_second = 1.5, burst = 3 }
tags = [
  "x", # first
  { deep = "y" },
]

[hooks.handlers.extra]
note = "belongs to the second handler"

[studio.env]
"A B" = "c"
`;

function at(text: string, path: KeyPath, part: 'key' | 'value' = 'value') {
  const map = locateToml(text);
  const located = map.get(path);
  const span = part === 'key' ? located?.key : located?.value;
  if (span === undefined) {
    return undefined;
  }
  return {
    ...map.position(span.start),
    text: text.slice(span.start, span.end),
  };
}

describe('locateToml', () => {
  it('finds keys and values past comments and multi-line strings', () => {
    expect(at(TRICKY, ['hooks', 'handlers', 0, 'name'])).toEqual({
      line: 12,
      column: 8,
      text: '"a"',
    });
    expect(at(TRICKY, ['hooks', 'handlers', 0, 'quoted.key'], 'key')).toEqual({
      line: 13,
      column: 1,
      text: '"quoted.key"',
    });
    expect(at(TRICKY, ['hooks', 'literal'])?.line).toBe(8);
    expect(at(TRICKY, ['hooks', 'handlers', 1, 'name'])?.line).toBe(17);
  });

  it('follows dotted keys, inline tables and arrays', () => {
    const dotted = ['hooks', 'handlers', 0, 'studio_rate_limit', 'per_second'];
    const inline = ['hooks', 'handlers', 1, 'studio_rate_limit', 'burst'];
    const element = ['hooks', 'handlers', 1, 'tags', 1, 'deep'];

    expect(at(TRICKY, dotted, 'key')).toMatchObject({ line: 14, column: 19 });
    expect(at(TRICKY, inline)).toEqual({ line: 18, column: 49, text: '3' });
    expect(at(TRICKY, element)).toEqual({ line: 21, column: 12, text: '"y"' });
  });

  it('resolves a sub-table header to the last array-of-tables element', () => {
    const note = ['hooks', 'handlers', 1, 'extra', 'note'];

    expect(at(TRICKY, note)?.line).toBe(25);
    expect(at(TRICKY, ['hooks', 'handlers', 1], 'key')).toMatchObject({
      line: 16,
      text: '[[hooks.handlers]]',
    });
    expect(at(TRICKY, ['studio', 'env', 'A B'])?.text).toBe('"c"');
    expect(parse(TRICKY)).toBeTruthy();
  });

  it('places every written string value where the writer put it', () => {
    const text = fc.string({ unit: 'binary', maxLength: 12 });
    fc.assert(
      fc.property(fc.array(text, { maxLength: 4 }), (values) => {
        const lines = values.map((value, i) => `k${i} = ${tomlString(value)}`);
        const document = `# lead\n${lines.join('\n# gap\n')}\n`;
        const map = locateToml(document);

        values.forEach((value, i) => {
          const span = map.get([`k${i}`])?.value;
          expect(span && document.slice(span.start, span.end)).toBe(
            tomlString(value),
          );
        });
      }),
    );
  });
});

describe('readTomlString', () => {
  it.each([
    String.raw`"a\tb\U0001F600\u00e9"`,
    '"""\nfirst \\\n   second""""',
    "'''\nraw \\n ''quoted'''''",
    String.raw`'C:\dir'`,
  ])('decodes %s as smol-toml does', (literal) => {
    const { value, end } = readTomlString(`v = ${literal}`, 4);

    expect(value).toBe(parse(`v = ${literal}`).v);
    expect(end).toBe(4 + literal.length);
  });

  it('maps decoded offsets back through escapes and line continuations', () => {
    const text = 'v = """\nab\\\n  c\\u0064e"""';

    expect(mapTomlStringOffset(text, 4, 2)).toBe(text.indexOf('c'));
    expect(mapTomlStringOffset(text, 4, 3)).toBe(text.indexOf('\\u'));
    expect(mapTomlStringOffset(text, 4, 4)).toBe(text.indexOf('e"'));
  });
});
