// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { KeyPath } from '../../../../engine/hooks/config/diagnostic';
import {
  JsonSyntaxError,
  locateJson,
  mapJsonStringOffset,
} from '../../../../engine/hooks/config/json-locator';
import { valueAt } from '../../../../engine/hooks/config/plain-data';

function accepts(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

// every path below the root, parents first
function paths(value: unknown, at: (string | number)[] = []): KeyPath[] {
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  return Object.entries(value).flatMap(([key, item]) => {
    const path = [...at, Array.isArray(value) ? Number(key) : key];
    return [path, ...paths(item, path)];
  });
}

describe('locateJson', () => {
  it('gives every path a span that parses back to the value there', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, isPretty) => {
        const text = JSON.stringify(value, null, isPretty ? 2 : undefined);
        const { map, duplicates } = locateJson(text);

        expect(duplicates).toEqual([]);
        for (const path of paths(value)) {
          const span = map.get(path)?.value;
          const slice = span && text.slice(span.start, span.end);
          // compare with the parsed text: stringify turns -0 into 0
          expect(JSON.parse(slice ?? 'null')).toEqual(
            valueAt(JSON.parse(text), path),
          );
        }
      }),
    );
  });

  it('rejects exactly the texts JSON.parse rejects', () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.constantFrom('', ',', '"', '}', '\\', ' '))
      .map(([text, at, insert]) => {
        const cut = at % (text.length + 1);
        return text.slice(0, cut) + insert + text.slice(cut + 1);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        expect(accepts(() => locateJson(text))).toBe(
          accepts(() => JSON.parse(text)),
        );
      }),
    );
  });

  it('reports where a syntax error is when the text is malformed', () => {
    const text = '{\n  "handlers": [1,]\n}';
    const error = (() => {
      try {
        locateJson(text);
      } catch (caught) {
        return caught;
      }
    })();

    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect(error).toMatchObject({ code: 'JSON_SYNTAX', offset: 19 });
  });

  it('records a repeated key at its later occurrence', () => {
    const text = '{"a": {"b": 1, "b": 2}}';
    const { duplicates } = locateJson(text);

    expect(duplicates).toEqual([
      { path: ['a', 'b'], span: { start: 15, end: 18 } },
    ]);
  });

  it('maps offsets inside strings past escapes', () => {
    const text = '["\\u0068ooks.\\t>"]';

    expect(mapJsonStringOffset(text, 1, 0)).toBe(2);
    expect(mapJsonStringOffset(text, 1, 1)).toBe(8);
    expect(mapJsonStringOffset(text, 1, 7)).toBe(15);
  });
});
