/**
 * Where each key and value of a parsed config file sits in its text, so
 * that a problem found on the parsed object can be shown at its line and
 * column. The TOML and JSON locators fill one of these in.
 *
 * @packageDocumentation
 */

import type { Diagnostic, KeyPath, Problem } from './diagnostic';

/** A half-open range of UTF-16 offsets into the text. */
export interface Span {
  /** First offset. */
  start: number;
  /** Offset just past the end. */
  end: number;
}

/** The key (absent for array elements) and value of one path. */
export interface Located {
  /** The key, or the table header that declares the path. */
  key?: Span;
  /** The value, or the table header that declares the path. */
  value: Span;
}

/**
 * Maps an offset inside a decoded string value back to the text, given the
 * offset of the string literal's first character.
 */
export type StringOffsetMapper = (
  text: string,
  literalStart: number,
  decodedOffset: number,
) => number;

/** A line and a column, both 1-based. */
export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column in UTF-16 code units. */
  column: number;
}

function keyOf(path: KeyPath): string {
  return JSON.stringify(path);
}

/** Key paths of one text, with their spans. */
export class SourceMap {
  private readonly entries = new Map<string, Located>();
  private readonly lineStarts: number[] = [0];

  /**
   * @param text - The source text the spans point into.
   * @param mapStringOffset - The format's way to map decoded string offsets.
   */
  constructor(
    readonly text: string,
    private readonly mapStringOffset: StringOffsetMapper,
  ) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 0x0a) {
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** Records a path; a later record of the same path replaces it. */
  set(path: KeyPath, located: Located): void {
    this.entries.set(keyOf(path), located);
  }

  /** Records a path unless it is already known. */
  setIfAbsent(path: KeyPath, located: Located): void {
    if (!this.entries.has(keyOf(path))) {
      this.set(path, located);
    }
  }

  /** The spans of exactly this path. */
  get(path: KeyPath): Located | undefined {
    return this.entries.get(keyOf(path));
  }

  /** The raw source text of the value at a path, if it was located. */
  valueText(path: KeyPath): string | undefined {
    const located = this.get(path);
    return located && this.text.slice(located.value.start, located.value.end);
  }

  /** 1-based line and column of an offset. */
  position(offset: number): Position {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.lineStarts[middle] ?? 0) <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }

  /**
   * The span a problem should be shown at. A path that is not in the text
   * (a missing field) falls back to its nearest ancestor that is, so the
   * user lands on the table that lacks the key.
   */
  spanOf(
    path: KeyPath,
    target: Problem['target'],
    range?: { offset: number; length: number },
  ): Span {
    for (let length = path.length; length > 0; length--) {
      const located = this.get(path.slice(0, length));
      if (located === undefined) {
        continue;
      }
      const isExact = length === path.length;
      if (!isExact || target === 'key') {
        return located.key ?? located.value;
      }
      if (range === undefined) {
        return located.value;
      }
      const from = located.value.start;
      const map = (at: number) => this.mapStringOffset(this.text, from, at);
      return {
        start: map(range.offset),
        end: map(range.offset + range.length),
      };
    }
    return { start: 0, end: 0 };
  }

  /** Places a problem found at a path (already in file space). */
  diagnostic(problem: Problem, file: string, filePath: KeyPath): Diagnostic {
    const range =
      problem.offset === undefined
        ? undefined
        : { offset: problem.offset, length: problem.length ?? 0 };
    const span = this.spanOf(filePath, problem.target, range);
    const start = this.position(span.start);
    const end = this.position(span.end);
    return {
      severity: problem.severity,
      message: problem.message,
      file,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      rule: problem.rule,
    };
  }
}
