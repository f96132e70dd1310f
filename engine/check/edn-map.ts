import { BadHistoryError } from './errors';

/** A scalar of the small EDN subset that history lines use. */
export type EdnScalar =
  | { kind: 'nil' }
  | { kind: 'int'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'keyword'; name: string };

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
};

/**
 * Reads one flat EDN map of keyword keys to scalars, such as
 * `{:process 0, :type :ok, :key "4", :value nil}`. Commas are whitespace,
 * as in EDN. Nested collections, symbols and floats are refused.
 *
 * @throws {@link BadHistoryError} naming `line` and what was wrong.
 */
export function readEdnMap(text: string, line: number): Map<string, EdnScalar> {
  let at = 0;
  // annotated so that a bare fail(...) ends control flow for the compiler
  const fail: (why: string) => never = (why) => {
    throw new BadHistoryError(`${why} at column ${at + 1}`, line);
  };
  const skipSpace = (): void => {
    while (at < text.length && /[\s,]/.test(text[at]!)) {
      at += 1;
    }
  };
  const readToken = (): string => {
    const match = /^[^\s,{}[\]()"]+/.exec(text.slice(at));
    if (match === null) {
      return fail('expected a value');
    }
    at += match[0].length;
    return match[0];
  };
  const readString = (): string => {
    let value = '';
    at += 1;
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\\') {
        const escaped = ESCAPES[text[at + 1] ?? ''];
        if (escaped === undefined) {
          fail('unknown escape in string');
        }
        value += escaped;
        at += 2;
      } else {
        value += text[at];
        at += 1;
      }
    }
    if (at >= text.length) {
      fail('unterminated string');
    }
    at += 1;
    return value;
  };
  const readScalar = (): EdnScalar => {
    if (text[at] === '"') {
      return { kind: 'string', value: readString() };
    }
    const token = readToken();
    if (token === 'nil') {
      return { kind: 'nil' };
    }
    if (/^-?\d+$/.test(token)) {
      return { kind: 'int', value: Number(token) };
    }
    if (/^:[^:]/.test(token)) {
      return { kind: 'keyword', name: token.slice(1) };
    }
    return fail(`unsupported value ${JSON.stringify(token)}`);
  };

  skipSpace();
  if (text[at] !== '{') {
    fail("expected '{'");
  }
  at += 1;
  const entries = new Map<string, EdnScalar>();
  for (;;) {
    skipSpace();
    if (text[at] === '}') {
      break;
    }
    if (at >= text.length) {
      fail("missing '}'");
    }
    const key = readScalar();
    if (key.kind !== 'keyword') {
      fail('expected a keyword key');
    }
    if (entries.has(key.name)) {
      fail(`duplicate key :${key.name}`);
    }
    skipSpace();
    entries.set(key.name, readScalar());
  }
  at += 1;
  skipSpace();
  if (at < text.length) {
    fail("unexpected text after '}'");
  }
  return entries;
}
