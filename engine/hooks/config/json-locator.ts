/**
 * Finds the line and column of every key and value in a JSON text, the
 * first syntax error with its position (`JSON.parse` messages carry none
 * on some Node versions), and repeated keys, which `JSON.parse` silently
 * resolves to the last one but serde rejects.
 *
 * @packageDocumentation
 */

import { AspenError } from '../../util/errors';

import type { KeyPath } from './diagnostic';
import { SourceMap, type Span } from './source-map';

/** A key that appears twice in the same object. */
export interface DuplicateKey {
  /** Path of the repeated key. */
  path: KeyPath;
  /** The second (or later) occurrence. */
  span: Span;
}

const ESCAPE_LENGTH: Record<string, number> = { u: 6 };

// offsets of each decoded unit of the string literal at `start`
function stringOffsets(text: string, start: number): number[] {
  const offsets: number[] = [];
  let at = start + 1;
  while (at < text.length && text[at] !== '"') {
    if (text[at] === '\\') {
      offsets.push(at);
      at += ESCAPE_LENGTH[text[at + 1] ?? ''] ?? 2;
    } else {
      offsets.push(at);
      at += 1;
    }
  }
  offsets.push(at);
  return offsets;
}

/** Source offset of a decoded offset inside the JSON string at `start`. */
export function mapJsonStringOffset(
  text: string,
  start: number,
  decodedOffset: number,
): number {
  if (text[start] !== '"') {
    return start;
  }
  const offsets = stringOffsets(text, start);
  return offsets[Math.min(decodedOffset, offsets.length - 1)] ?? start;
}

/** A JSON text is malformed; `offset` is where it stops being JSON. */
export class JsonSyntaxError extends AspenError {
  /** UTF-16 offset of the offending character. */
  readonly offset: number;

  constructor(offset: number, message: string) {
    super('JSON_SYNTAX', message);
    this.name = 'JsonSyntaxError';
    this.offset = offset;
  }
}

const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING_ESCAPE = /\\(["\\/bfnrt]|u[\da-fA-F]{4})/y;

class JsonScanner {
  private at = 0;
  readonly duplicates: DuplicateKey[] = [];

  constructor(
    private readonly text: string,
    private readonly map: SourceMap,
  ) {}

  document(): Span {
    const span = this.value([]);
    this.skipSpace();
    if (this.at < this.text.length) {
      this.fail('expected the end of the document');
    }
    return span;
  }

  private value(path: KeyPath): Span {
    this.skipSpace();
    const start = this.at;
    const char = this.char();
    if (char === '{') {
      this.members(path);
    } else if (char === '[') {
      this.elements(path);
    } else if (char === '"') {
      this.string();
    } else if (!this.literal()) {
      this.fail('expected a value');
    }
    return { start, end: this.at };
  }

  private literal(): boolean {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return true;
      }
    }
    NUMBER.lastIndex = this.at;
    if (NUMBER.exec(this.text) === null) {
      return false;
    }
    this.at = NUMBER.lastIndex;
    return true;
  }

  private members(path: KeyPath): void {
    this.at += 1;
    this.skipSpace();
    if (this.char() === '}') {
      this.at += 1;
      return;
    }
    for (;;) {
      this.skipSpace();
      if (this.char() !== '"') {
        this.fail('expected a key in double quotes');
      }
      const keyStart = this.at;
      const name = JSON.parse(this.string()) as string;
      const key = { start: keyStart, end: this.at };
      this.skipSpace();
      this.expect(':');
      const member = [...path, name];
      if (this.map.get(member) !== undefined) {
        this.duplicates.push({ path: member, span: key });
      }
      this.map.set(member, { key, value: this.value(member) });
      if (this.separator('}')) {
        return;
      }
    }
  }

  private elements(path: KeyPath): void {
    this.at += 1;
    this.skipSpace();
    if (this.char() === ']') {
      this.at += 1;
      return;
    }
    for (let index = 0; ; index++) {
      const element = [...path, index];
      this.map.set(element, { value: this.value(element) });
      if (this.separator(']')) {
        return;
      }
    }
  }

  // after an item: `,` means another, `close` ends; true when ended
  private separator(close: string): boolean {
    this.skipSpace();
    if (this.char() === close) {
      this.at += 1;
      return true;
    }
    this.expect(',', `expected ',' or '${close}'`);
    return false;
  }

  // returns the raw literal, quotes included
  private string(): string {
    const start = this.at;
    this.at += 1;
    for (;;) {
      const char = this.char();
      if (char === '"') {
        this.at += 1;
        return this.text.slice(start, this.at);
      }
      if (char === '' || char < ' ') {
        this.fail('unterminated string or raw control character');
      }
      if (char !== '\\') {
        this.at += 1;
        continue;
      }
      STRING_ESCAPE.lastIndex = this.at;
      if (STRING_ESCAPE.exec(this.text) === null) {
        this.fail('invalid escape sequence');
      }
      this.at = STRING_ESCAPE.lastIndex;
    }
  }

  private expect(char: string, message = `expected '${char}'`): void {
    if (this.char() !== char) {
      this.fail(message);
    }
    this.at += 1;
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(this.at, message);
  }

  private char(): string {
    return this.text[this.at] ?? '';
  }

  private skipSpace(): void {
    while (/[ \t\n\r]/.test(this.char())) {
      this.at += 1;
    }
  }
}

/**
 * Checks a JSON text and locates every key and value in it.
 *
 * @param text - The JSON text.
 * @returns The spans, and every repeated key.
 * @throws {@link JsonSyntaxError} where the text stops being JSON.
 */
export function locateJson(text: string): {
  map: SourceMap;
  duplicates: DuplicateKey[];
} {
  const map = new SourceMap(text, mapJsonStringOffset);
  const scanner = new JsonScanner(text, map);
  map.set([], { value: scanner.document() });
  return { map, duplicates: scanner.duplicates };
}
