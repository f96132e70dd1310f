/**
 * What parsing and validation report, and the error import throws.
 *
 * @packageDocumentation
 */

import { AspenError } from '../../util/errors';

/** How bad a finding is: errors stop a config from being applied. */
export type Severity = 'error' | 'warning';

/** A path into the config: object keys and array indexes. */
export type KeyPath = readonly (string | number)[];

/** One problem, placed in the source text (all positions 1-based). */
export interface Diagnostic {
  /** `error` blocks the config; `warning` does not. */
  severity: Severity;
  /** For production's rules, production's own error text. */
  message: string;
  /** The file name the caller gave. */
  file: string;
  /** Line of the first character. */
  line: number;
  /** Column of the first character, in UTF-16 code units. */
  column: number;
  /** Line just past the span, when the span is known. */
  endLine?: number;
  /** Column just past the span, when the span is known. */
  endColumn?: number;
  /** Stable rule id, such as `NAME_TOO_LONG` or `INVALID_PATTERN`. */
  rule: string;
}

/**
 * A problem before it has a place in a text: the config path it is about
 * and whether it concerns the key or the value there.
 */
export interface Problem {
  /** Stable rule id. */
  rule: string;
  /** `error` or `warning`. */
  severity: Severity;
  /** Text shown to the user. */
  message: string;
  /** Where in the config (config space, not file space). */
  path: KeyPath;
  /** Point at the key itself or at its value. */
  target: 'key' | 'value';
  /**
   * For `value` targets that are strings: the UTF-16 offset inside the
   * decoded string to point at (the offending pattern token).
   */
  offset?: number;
  /** With `offset`: how many decoded UTF-16 units to underline. */
  length?: number;
}

/** Renders a path the way TOML users read it: `handlers[2].timeout_ms`. */
export function formatPath(path: KeyPath): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') {
      text += `[${part}]`;
    } else {
      const key = /^[A-Za-z0-9_-]+$/.test(part) ? part : JSON.stringify(part);
      text += text === '' ? key : `.${key}`;
    }
  }
  return text;
}

/** A config that cannot be imported or exported as it stands. */
export class HooksConfigError extends AspenError {
  /** Every problem found, errors and warnings alike. */
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    code: 'INVALID_HOOKS_CONFIG' | 'UNENCODABLE_HOOKS_CONFIG',
    message: string,
    diagnostics: readonly Diagnostic[] = [],
  ) {
    super(code, message);
    this.name = 'HooksConfigError';
    this.diagnostics = diagnostics;
  }
}

/** UTF-8 length of a string, as Rust's `String::len` counts it. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      bytes += 1;
    } else if (code < 0x800) {
      bytes += 2;
    } else if (
      code >= 0xd800 &&
      code <= 0xdbff &&
      i + 1 < text.length &&
      (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
    ) {
      bytes += 4;
      i += 1;
    } else {
      // lone surrogates count as U+FFFD, as a lossy conversion would
      bytes += 3;
    }
  }
  return bytes;
}

/** Whether a value is a plain key/value object (not an array or null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
