/**
 * Reads hooks.toml (or the equivalent JSON) into a {@link HooksConfig},
 * with every syntax, schema and validation problem placed at its line and
 * column in the text.
 *
 * @packageDocumentation
 */

import { parse as parseToml, TomlError } from 'smol-toml';

import {
  isRecord,
  type Diagnostic,
  type KeyPath,
  type Problem,
} from './diagnostic';
import { JsonSyntaxError, locateJson } from './json-locator';
import { toPlainData, valueAt } from './plain-data';
import { HooksConfigSchema, INTEGER_KEYS, type HooksConfig } from './schema';
import { schemaProblems } from './schema-issues';
import { SourceMap } from './source-map';
import { locateToml } from './toml-locator';
import { validateHooksConfig } from './validate';

/** What parsing a config text produced. */
export interface ParseResult {
  /** The config, present only when no diagnostic is an error. */
  config?: HooksConfig;
  /** Errors and warnings, each placed in the text. */
  diagnostics: Diagnostic[];
}

// a problem whose path is already in file space
interface Placed {
  problem: Problem;
  filePath: KeyPath;
}

const INTEGER_LITERAL = /^[+-]?(\d[\d_]*|0x[\da-fA-F_]+|0o[0-7_]+|0b[01_]+)$/;

// `5000.0` parses to the number 5000, but serde refuses a float for u64
function integerLiteralProblems(
  config: unknown,
  literal: (path: KeyPath) => string | undefined,
): Problem[] {
  const paths: KeyPath[] = [];
  const handlers = valueAt(config, ['handlers']);
  (Array.isArray(handlers) ? handlers : []).forEach((handler, index) => {
    const at = ['handlers', index];
    paths.push(...INTEGER_KEYS.handler.map((key) => [...at, key]));
    const limit = [...at, 'studio_rate_limit'];
    paths.push(...INTEGER_KEYS.rateLimit.map((key) => [...limit, key]));
  });
  paths.push(...INTEGER_KEYS.studio.map((key) => ['studio', key]));

  return paths.flatMap((path): Problem[] => {
    const value = valueAt(config, path);
    const text = literal(path);
    if (!Number.isInteger(value) || text === undefined) {
      return [];
    }
    if (INTEGER_LITERAL.test(text)) {
      return [];
    }
    const key = String(path[path.length - 1]);
    const message = `invalid type for \`${key}\`: float ${text}, expected an integer`;
    return [
      {
        rule: 'INVALID_TYPE',
        severity: 'error',
        message,
        path,
        target: 'value',
      },
    ];
  });
}

function finish(
  input: unknown,
  placed: Placed[],
  map: SourceMap,
  file: string,
  toFilePath: (path: KeyPath) => KeyPath,
): ParseResult {
  const parsed = HooksConfigSchema.safeParse(input);
  const problems = [
    ...(parsed.success ? [] : schemaProblems(parsed.error.issues, input)),
    ...integerLiteralProblems(input, (path) => map.valueText(toFilePath(path))),
    ...validateHooksConfig(input),
  ];
  const diagnostics = [
    ...placed.map(({ problem, filePath }) =>
      map.diagnostic(problem, file, filePath),
    ),
    ...problems.map((problem) =>
      map.diagnostic(problem, file, toFilePath(problem.path)),
    ),
  ];
  const hasError = diagnostics.some((item) => item.severity === 'error');
  return parsed.success && !hasError
    ? { config: parsed.data, diagnostics }
    : { diagnostics };
}

function tomlFilePath(path: KeyPath): KeyPath {
  return path[0] === 'studio' ? path : ['hooks', ...path];
}

function placedWarning(
  rule: string,
  message: string,
  filePath: KeyPath,
): Placed {
  const problem: Problem = {
    rule,
    severity: 'warning',
    message,
    path: filePath,
    target: 'key',
  };
  return { problem, filePath };
}

// hooks.toml holds `[hooks]` and `[studio]`; the config joins them
function configFromToml(
  document: Record<string, unknown>,
  placed: Placed[],
): unknown {
  const hooks = document.hooks;
  let input: Record<string, unknown> = {};
  if (hooks === undefined) {
    const message = 'no [hooks] table: production reads that as hooks disabled';
    placed.push(placedWarning('NO_HOOKS_TABLE', message, []));
    input.enabled = false;
  } else if (isRecord(hooks)) {
    input = { ...hooks };
    if (Object.hasOwn(input, 'studio')) {
      delete input.studio;
      const message =
        '`studio` inside [hooks] is ignored: studio settings go in the ' +
        'top-level [studio] table';
      placed.push(placedWarning('UNKNOWN_KEY', message, ['hooks', 'studio']));
    }
  } else {
    return hooks;
  }

  if (Object.hasOwn(document, 'studio')) {
    input.studio = document.studio;
  }
  for (const key of Object.keys(document)) {
    if (key !== 'hooks' && key !== 'studio') {
      const message =
        `unknown top-level key \`${key}\`: not part of the hooks config, ` +
        'so it is left out of exports';
      placed.push(placedWarning('UNKNOWN_KEY', message, [key]));
    }
  }
  return input;
}

/**
 * Parses hooks.toml: a `[hooks]` table in production's serde shape plus an
 * optional `[studio]` table.
 *
 * @param text - The file contents.
 * @param fileName - Named in every diagnostic.
 */
export function parseHooksToml(text: string, fileName: string): ParseResult {
  let document: Record<string, unknown>;
  try {
    document = parseToml(text);
  } catch (cause) {
    if (!(cause instanceof TomlError)) {
      throw cause;
    }
    const message = (cause.message.split('\n')[0] ?? '').replace(
      /^Invalid TOML document: /,
      '',
    );
    const diagnostic: Diagnostic = {
      severity: 'error',
      message,
      file: fileName,
      line: cause.line,
      column: cause.column,
      rule: 'TOML_SYNTAX',
    };
    return { diagnostics: [diagnostic] };
  }

  const map = locateToml(text);
  const unsafe: Problem[] = [];
  const plain = toPlainData(document, [], unsafe) as Record<string, unknown>;
  const placed = unsafe.map((problem) => ({ problem, filePath: problem.path }));
  const input = configFromToml(plain, placed);
  return finish(input, placed, map, fileName, tomlFilePath);
}

// serde reads `null` as "absent" for its `Option` fields
const OPTIONAL_HANDLER_KEYS = ['working_dir', 'job_priority'];

/**
 * Parses the JSON form: production's `HooksConfig` object, whose `studio`
 * key holds the studio settings.
 *
 * @param text - The file contents.
 * @param fileName - Named in every diagnostic.
 */
export function parseHooksJson(text: string, fileName: string): ParseResult {
  let located: ReturnType<typeof locateJson>;
  try {
    located = locateJson(text);
  } catch (cause) {
    if (!(cause instanceof JsonSyntaxError)) {
      throw cause;
    }
    const position = new SourceMap(text, () => 0).position(cause.offset);
    const diagnostic: Diagnostic = {
      severity: 'error',
      message: cause.message,
      file: fileName,
      ...position,
      rule: 'JSON_SYNTAX',
    };
    return { diagnostics: [diagnostic] };
  }

  const { map, duplicates } = located;
  const duplicated = duplicates.map((duplicate): Diagnostic => {
    const start = map.position(duplicate.span.start);
    const end = map.position(duplicate.span.end);
    const key = String(duplicate.path[duplicate.path.length - 1]);
    return {
      severity: 'error',
      message: `duplicate field \`${key}\``,
      file: fileName,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      rule: 'DUPLICATE_KEY',
    };
  });

  const unsafe: Problem[] = [];
  const input = toPlainData(JSON.parse(text), [], unsafe);
  const handlers = valueAt(input, ['handlers']);
  for (const handler of Array.isArray(handlers) ? handlers : []) {
    for (const key of OPTIONAL_HANDLER_KEYS) {
      if (isRecord(handler) && handler[key] === null) {
        delete handler[key];
      }
    }
  }
  const placed = unsafe.map((problem) => ({ problem, filePath: problem.path }));
  const result = finish(input, placed, map, fileName, (path) => path);
  const diagnostics = [...duplicated, ...result.diagnostics];
  return duplicated.length > 0 ? { diagnostics } : { ...result, diagnostics };
}
