/**
 * Copies what a TOML or JSON parser returned into ordinary objects before
 * the schema sees it: smol-toml builds prototype-less objects, and a key
 * named `__proto__` must never reach code that assigns properties.
 *
 * @packageDocumentation
 */

import { isRecord, type KeyPath, type Problem } from './diagnostic';

/**
 * A deep copy made of plain objects and arrays; dates and primitives are
 * kept as they are.
 *
 * @param value - Parser output.
 * @param path - Where `value` sits, for problems.
 * @param problems - Receives an error for each `__proto__` key, which is
 *   left out of the copy.
 */
export function toPlainData(
  value: unknown,
  path: KeyPath,
  problems: Problem[],
): unknown {
  if (Array.isArray(value)) {
    return value.map((item, index) =>
      toPlainData(item, [...path, index], problems),
    );
  }
  if (!isRecord(value) || value instanceof Date) {
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === '__proto__') {
      problems.push({
        rule: 'UNSAFE_KEY',
        severity: 'error',
        message: 'the key `__proto__` is not allowed',
        path: [...path, key],
        target: 'key',
      });
      continue;
    }
    copy[key] = toPlainData(value[key], [...path, key], problems);
  }
  return copy;
}

/** The value at a path, or undefined when any step is missing. */
export function valueAt(root: unknown, path: KeyPath): unknown {
  let value = root;
  for (const part of path) {
    if (Array.isArray(value) && typeof part === 'number') {
      value = value[part];
    } else if (isRecord(value) && typeof part === 'string') {
      value = Object.hasOwn(value, part) ? value[part] : undefined;
    } else {
      return undefined;
    }
  }
  return value;
}
