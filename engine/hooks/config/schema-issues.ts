/**
 * Turns zod's schema issues into problems worded the way serde reports a
 * file it cannot deserialize (missing field, invalid type, unknown
 * variant), since those are the failures production itself would hit.
 *
 * @packageDocumentation
 */

import type { core } from 'zod';

import { formatPath, isRecord, type KeyPath, type Problem } from './diagnostic';
import { valueAt } from './plain-data';

const EXPECTED: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'a boolean',
  array: 'an array',
  object: 'a table',
  record: 'a table',
};

/** How serde would name a value it did not expect. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? `integer ${value}` : `float ${value}`;
  }
  if (typeof value === 'boolean') {
    return `boolean ${value}`;
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  if (value === null) {
    return 'null';
  }
  if (value instanceof Date) {
    return 'a date';
  }
  return isRecord(value) ? 'a table' : typeof value;
}

function problem(
  rule: string,
  message: string,
  path: KeyPath,
  target: Problem['target'],
): Problem {
  return { rule, severity: 'error', message, path, target };
}

function variants(values: readonly unknown[]): string {
  return values.map((value) => `\`${String(value)}\``).join(', ');
}

function rangeText(issue: core.$ZodIssue): string {
  if (issue.code === 'too_small') {
    const bound = Number(issue.minimum);
    return issue.inclusive === false
      ? `a number above ${bound}`
      : `at least ${bound}`;
  }
  if (issue.code === 'too_big') {
    return `at most ${Number(issue.maximum)}`;
  }
  return 'a valid value';
}

/**
 * One problem per zod issue, in config space.
 *
 * @param issues - What `safeParse` reported.
 * @param input - The object that was parsed, to name the offending value.
 */
export function schemaProblems(
  issues: readonly core.$ZodIssue[],
  input: unknown,
): Problem[] {
  return issues.map((issue) => {
    const path = issue.path.filter(
      (part): part is string | number => typeof part !== 'symbol',
    );
    const key = path.length > 0 ? formatPath(path.slice(-1)) : 'hooks';
    const value = valueAt(input, path);
    if (value === undefined && path.length > 0) {
      return problem('MISSING_FIELD', `missing field \`${key}\``, path, 'key');
    }

    switch (issue.code) {
      case 'invalid_type': {
        const expected = EXPECTED[issue.expected] ?? issue.expected;
        const message = `invalid type for \`${key}\`: ${describeValue(value)}, expected ${expected}`;
        return problem('INVALID_TYPE', message, path, 'value');
      }
      case 'invalid_union':
      case 'invalid_value': {
        const options =
          issue.code === 'invalid_value'
            ? issue.values
            : ((issue as { options?: unknown[] }).options ?? []);
        if (typeof value !== 'string') {
          const message = `invalid type for \`${key}\`: ${describeValue(value)}, expected a string`;
          return problem('INVALID_TYPE', message, path, 'value');
        }
        const message = `unknown variant \`${value}\`, expected one of ${variants(options)}`;
        return problem('UNKNOWN_VARIANT', message, path, 'value');
      }
      case 'too_small':
      case 'too_big': {
        const message = `invalid value for \`${key}\`: ${describeValue(value)}, expected ${rangeText(issue)}`;
        return problem('OUT_OF_RANGE', message, path, 'value');
      }
      default:
        return problem('INVALID_VALUE', issue.message, path, 'value');
    }
  });
}
