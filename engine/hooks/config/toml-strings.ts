/**
 * Reads one TOML string literal (any of the four kinds) and keeps, for
 * every decoded UTF-16 unit, the offset it came from, so a problem inside a
 * string (a bad pattern token) can be shown at its column even when escapes
 * or a multi-line string shift it.
 *
 * @packageDocumentation
 */

/** A decoded string literal. */
export interface TomlString {
  /** The decoded value. */
  value: string;
  /** Offset just past the closing delimiter. */
  end: number;
  /**
   * Source offset of each decoded unit; one extra entry at
   * `value.length` points at the closing delimiter.
   */
  offsets: number[];
}

const SIMPLE_ESCAPES: Record<string, string> = {
  b: '\b',
  t: '\t',
  n: '\n',
  f: '\f',
  r: '\r',
  e: '\x1b',
  '"': '"',
  '\\': '\\',
};

const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

function isBlank(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

function isNewline(text: string, at: number): number {
  if (text[at] === '\n') {
    return 1;
  }
  return text.startsWith('\r\n', at) ? 2 : 0;
}

/**
 * Decodes the string literal starting at `start`. The text must already
 * have been accepted by a TOML parser; this does not report errors.
 */
export function readTomlString(text: string, start: number): TomlString {
  const quote = text[start] === "'" ? "'" : '"';
  const isMultiline = text.startsWith(quote.repeat(3), start);
  const isLiteral = quote === "'";
  let at = start + (isMultiline ? 3 : 1);
  let value = '';
  const offsets: number[] = [];
  const push = (chars: string, from: number) => {
    value += chars;
    for (let i = 0; i < chars.length; i++) {
      offsets.push(from);
    }
  };

  // a newline right after the opening delimiter is not part of the value
  if (isMultiline) {
    at += isNewline(text, at);
  }

  while (at < text.length) {
    const char = text[at] as string;

    if (char === quote) {
      if (!isMultiline) {
        offsets.push(at);
        return { value, end: at + 1, offsets };
      }
      let run = 0;
      while (text[at + run] === quote) {
        run += 1;
      }
      if (run >= 3) {
        // up to two quotes just before the closing three are content
        push(quote.repeat(run - 3), at);
        offsets.push(at + run - 3);
        return { value, end: at + run, offsets };
      }
      push(quote.repeat(run), at);
      at += run;
      continue;
    }

    if (char !== '\\' || isLiteral) {
      push(char, at);
      at += 1;
      continue;
    }

    const next = text[at + 1] ?? '';
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      push(simple, at);
      at += 2;
      continue;
    }
    const digits = HEX_DIGITS[next];
    if (digits !== undefined) {
      const hex = text.slice(at + 2, at + 2 + digits);
      push(String.fromCodePoint(Number.parseInt(hex, 16)), at);
      at += 2 + digits;
      continue;
    }

    // a line-ending backslash swallows the newline and following blanks
    let skip = at + 1;
    while (isBlank(text[skip]) || isNewline(text, skip) > 0) {
      skip += isNewline(text, skip) || 1;
    }
    at = skip;
  }
  offsets.push(at);
  return { value, end: at, offsets };
}

/** Source offset of a decoded offset inside the literal at `start`. */
export function mapTomlStringOffset(
  text: string,
  start: number,
  decodedOffset: number,
): number {
  const quote = text[start];
  if (quote !== '"' && quote !== "'") {
    return start;
  }
  const { offsets } = readTomlString(text, start);
  return offsets[Math.min(decodedOffset, offsets.length - 1)] ?? start;
}
