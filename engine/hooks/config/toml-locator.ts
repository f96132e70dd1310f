/**
 * Finds the line and column of every key and value in a TOML text. It runs
 * only on text smol-toml has accepted, so it reads valid TOML and does not
 * report syntax errors of its own.
 *
 * Tables declared by `[a.b]` and `[[a.b]]` headers, dotted keys, inline
 * tables, arrays (including arrays of inline tables) and every string form
 * are followed; comments and multi-line strings are skipped over. For an
 * array of tables, the n-th `[[a.b]]` header is path `a.b[n-1]`, and later
 * headers below it resolve to its last element, as TOML defines.
 *
 * @packageDocumentation
 */

import type { KeyPath } from './diagnostic';
import { SourceMap, type Span } from './source-map';
import { mapTomlStringOffset, readTomlString } from './toml-strings';

interface KeyPart {
  name: string;
  span: Span;
}

// characters that end an unquoted scalar (numbers, booleans, dates)
const SCALAR_END = new Set([',', ']', '}', '#', '\n', '\r']);

class TomlScanner {
  private at = 0;
  private table: (string | number)[] = [];
  private readonly arrayCounts = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly map: SourceMap,
  ) {}

  run(): void {
    for (;;) {
      this.skipBlankLines();
      if (this.at >= this.text.length) {
        return;
      }
      const before = this.at;
      if (this.text[this.at] === '[') {
        this.header();
      } else {
        this.keyValue(this.table);
      }
      if (this.at === before) {
        return;
      }
    }
  }

  private header(): void {
    const start = this.at;
    const isArray = this.text.startsWith('[[', start);
    this.at += isArray ? 2 : 1;
    const parts = this.dottedKey();
    this.skipBlanks();
    this.at += isArray ? 2 : 1;
    const span = { start, end: this.at };

    const path = this.resolve(parts.slice(0, -1).map((part) => part.name));
    for (let i = 0; i < path.length; i++) {
      this.map.setIfAbsent(path.slice(0, i + 1), { key: span, value: span });
    }
    path.push(parts[parts.length - 1]?.name ?? '');
    if (isArray) {
      const count = this.arrayCounts.get(JSON.stringify(path)) ?? 0;
      this.arrayCounts.set(JSON.stringify(path), count + 1);
      this.map.setIfAbsent(path, { key: span, value: span });
      path.push(count);
    }
    this.map.setIfAbsent(path, { key: span, value: span });
    this.table = path;
  }

  // header prefixes that name an array of tables mean its last element
  private resolve(names: string[]): (string | number)[] {
    const path: (string | number)[] = [];
    for (const name of names) {
      path.push(name);
      const count = this.arrayCounts.get(JSON.stringify(path));
      if (count !== undefined) {
        path.push(count - 1);
      }
    }
    return path;
  }

  private keyValue(base: KeyPath): void {
    const parts = this.dottedKey();
    this.skipBlanks();
    this.at += 1;
    this.skipBlanks();

    const path = [...base];
    for (const part of parts.slice(0, -1)) {
      path.push(part.name);
      this.map.setIfAbsent(path, { key: part.span, value: part.span });
    }
    const last = parts[parts.length - 1];
    path.push(last?.name ?? '');
    const value = this.value(path);
    this.map.set(path, { key: last?.span ?? value, value });
  }

  private dottedKey(): KeyPart[] {
    const parts: KeyPart[] = [];
    for (;;) {
      this.skipBlanks();
      const start = this.at;
      const char = this.text[start];
      let name: string;
      if (char === '"' || char === "'") {
        const read = readTomlString(this.text, start);
        name = read.value;
        this.at = read.end;
      } else {
        while (this.at < this.text.length && !/[\s.=\]]/.test(this.char())) {
          this.at += 1;
        }
        name = this.text.slice(start, this.at);
      }
      parts.push({ name, span: { start, end: this.at } });
      this.skipBlanks();
      if (this.char() !== '.' || this.at === start) {
        return parts;
      }
      this.at += 1;
    }
  }

  private value(path: KeyPath): Span {
    const start = this.at;
    const char = this.char();
    if (char === '"' || char === "'") {
      this.at = readTomlString(this.text, start).end;
    } else if (char === '[') {
      this.sequence(']', (index) => {
        const element = [...path, index];
        this.map.set(element, { value: this.value(element) });
      });
    } else if (char === '{') {
      this.sequence('}', () => this.keyValue(path));
    } else {
      while (this.at < this.text.length && !SCALAR_END.has(this.char())) {
        this.at += 1;
      }
      while (this.at > start && /\s/.test(this.text[this.at - 1] ?? '')) {
        this.at -= 1;
      }
    }
    return { start, end: this.at };
  }

  // arrays and inline tables: items separated by commas, until `close`
  private sequence(close: string, item: (index: number) => void): void {
    this.at += 1;
    for (let index = 0; ; index++) {
      this.skipBlankLines();
      if (this.char() === close || this.at >= this.text.length) {
        this.at += 1;
        return;
      }
      const before = this.at;
      item(index);
      this.skipBlankLines();
      if (this.char() === ',') {
        this.at += 1;
      } else if (this.at === before) {
        return;
      }
    }
  }

  private char(): string {
    return this.text[this.at] ?? '';
  }

  private skipBlanks(): void {
    while (this.char() === ' ' || this.char() === '\t') {
      this.at += 1;
    }
  }

  private skipBlankLines(): void {
    for (;;) {
      const char = this.char();
      if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
        this.at += 1;
      } else if (char === '#') {
        while (this.at < this.text.length && this.char() !== '\n') {
          this.at += 1;
        }
      } else {
        return;
      }
    }
  }
}

/**
 * Locates every key and value of a TOML document that smol-toml accepted.
 *
 * @param text - The TOML text.
 * @returns Spans keyed by the document path (`hooks.handlers[0].name`).
 */
export function locateToml(text: string): SourceMap {
  const map = new SourceMap(text, mapTomlStringOffset);
  new TomlScanner(text, map).run();
  return map;
}
