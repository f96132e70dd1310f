/**
 * Writes TOML keys and inline values so that any string survives a round
 * trip: quotes, backslashes, newlines, control characters and non-ASCII
 * text. Strings that cannot be UTF-8 (lone surrogates) and values TOML has
 * no form for (null) are refused rather than silently changed.
 *
 * @packageDocumentation
 */

import { formatPath, HooksConfigError, type KeyPath } from './diagnostic';

const ESCAPES: Record<string, string> = {
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\f': '\\f',
  '\r': '\\r',
  '"': '\\"',
  '\\': '\\\\',
};

// C0 controls and DEL must be escaped in basic strings
function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

// literal strings cannot hold a quote or any control except tab
function fitsLiteral(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x27 || (isControl(code) && code !== 0x09)) {
      return false;
    }
  }
  return true;
}
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unencodable(path: KeyPath, why: string): HooksConfigError {
  const where = path.length > 0 ? ` at ${formatPath(path)}` : '';
  return new HooksConfigError(
    'UNENCODABLE_HOOKS_CONFIG',
    `cannot write the config${where}: ${why}`,
  );
}

function checkText(text: string, path: KeyPath): void {
  if (LONE_SURROGATE.test(text)) {
    throw unencodable(path, 'the text contains a lone UTF-16 surrogate');
  }
}

function basicString(text: string): string {
  let out = '"';
  for (const char of text) {
    const escape = ESCAPES[char];
    if (escape !== undefined) {
      out += escape;
    } else if (isControl(char.charCodeAt(0))) {
      const code = char.charCodeAt(0).toString(16).padStart(4, '0');
      out += `\\u${code}`;
    } else {
      out += char;
    }
  }
  return `${out}"`;
}

/**
 * A TOML string for `text`: a literal `'…'` string when that spares
 * escaping quotes or backslashes, otherwise a basic `"…"` string.
 */
export function tomlString(text: string, path: KeyPath = []): string {
  checkText(text, path);
  const wantsLiteral = text.includes('"') || text.includes('\\');
  if (wantsLiteral && fitsLiteral(text)) {
    return `'${text}'`;
  }
  return basicString(text);
}

/** A key, bare when TOML allows it, quoted otherwise. */
export function tomlKey(key: string, path: KeyPath = []): string {
  checkText(key, path);
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : basicString(key);
}

function tomlNumber(value: number): string {
  if (Number.isNaN(value)) {
    return 'nan';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? 'inf' : '-inf';
  }
  const text = String(value);
  if (Number.isSafeInteger(value) || /[.e]/.test(text)) {
    return text;
  }
  // a whole number too large for a TOML integer is written as a float
  return `${text}.0`;
}

/**
 * One value in inline form: strings, numbers, booleans, dates, arrays and
 * inline tables.
 *
 * @throws {@link HooksConfigError} `UNENCODABLE_HOOKS_CONFIG` for null,
 *   undefined inside an array, functions and lone surrogates.
 */
export function tomlValue(value: unknown, path: KeyPath = []): string {
  if (typeof value === 'string') {
    return tomlString(value, path);
  }
  if (typeof value === 'number') {
    return tomlNumber(value);
  }
  if (typeof value === 'boolean') {
    return String(value);
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (Array.isArray(value)) {
    const items = value.map((item, index) => tomlValue(item, [...path, index]));
    return `[${items.join(', ')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const pairs = tomlPairs(value as Record<string, unknown>, path);
    return pairs.length === 0 ? '{}' : `{ ${pairs.join(', ')} }`;
  }
  throw unencodable(path, `TOML has no form for ${String(value)}`);
}

/** `key = value` for each defined entry, in the object's key order. */
export function tomlPairs(
  object: Record<string, unknown>,
  path: KeyPath = [],
): string[] {
  return Object.keys(object)
    .filter((key) => object[key] !== undefined)
    .map((key) => {
      const at = [...path, key];
      return `${tomlKey(key, at)} = ${tomlValue(object[key], at)}`;
    });
}
