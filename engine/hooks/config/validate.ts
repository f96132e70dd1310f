/**
 * Production's `HooksConfig::validate` (reference §1.4) with its limits,
 * order and error texts, followed by the studio's own checks: the strict
 * pattern grammar and warnings about settings production would silently
 * misread. Production stops at its first error; this reports every one.
 *
 * It reads the config as loosely typed data, so it also runs on a file whose
 * shape is partly wrong: each rule checks only values of the right type and
 * leaves the rest to the schema.
 *
 * @packageDocumentation
 */

import { checkPattern } from '../../pubsub/subject';

import {
  DEFAULT_RETRY_COUNT,
  JOB_PRIORITIES,
  MAX_HANDLER_ID_BYTES,
  MAX_HANDLER_NAME_BYTES,
  MAX_HANDLERS,
  MAX_PATTERN_BYTES,
  MAX_RETRY_COUNT,
  MAX_SHELL_COMMAND_BYTES,
  MAX_TIMEOUT_MS,
} from './constants';
import { isRecord, utf8Length, type KeyPath, type Problem } from './diagnostic';
import { unknownKeyProblems } from './validate-keys';

function error(rule: string, message: string, path: KeyPath): Problem {
  return { rule, severity: 'error', message, path, target: 'value' };
}

function warning(
  rule: string,
  message: string,
  path: KeyPath,
  target: Problem['target'] = 'value',
): Problem {
  return { rule, severity: 'warning', message, path, target };
}

// a string field that is empty or longer than `max` UTF-8 bytes
function checkText(
  value: unknown,
  path: KeyPath,
  max: number,
  rules: { empty?: [string, string]; tooLong: [string, string] },
): Problem[] {
  if (typeof value !== 'string') {
    return [];
  }
  if (value === '' && rules.empty) {
    return [error(rules.empty[0], rules.empty[1], path)];
  }
  const bytes = utf8Length(value);
  if (bytes <= max) {
    return [];
  }
  const message = `${rules.tooLong[1]}: ${bytes} bytes (max ${max})`;
  return [error(rules.tooLong[0], message, path)];
}

// `HookHandlerType::validate`
function typeRules(handler: Record<string, unknown>, at: KeyPath): Problem[] {
  const invalid = 'configuration invalid: ';
  switch (handler.type) {
    case 'in_process':
      return checkText(
        handler.handler_id,
        [...at, 'handler_id'],
        MAX_HANDLER_ID_BYTES,
        {
          empty: ['EMPTY_HANDLER_ID', `${invalid}handler_id cannot be empty`],
          tooLong: ['HANDLER_ID_TOO_LONG', `${invalid}handler_id too long`],
        },
      );
    case 'shell':
      return checkText(
        handler.command,
        [...at, 'command'],
        MAX_SHELL_COMMAND_BYTES,
        {
          empty: ['EMPTY_COMMAND', 'shell command cannot be empty'],
          tooLong: ['COMMAND_TOO_LONG', 'shell command too long'],
        },
      );
    case 'forward':
      return ['target_cluster', 'target_topic'].flatMap((key) =>
        handler[key] === ''
          ? [
              error(
                `EMPTY_${key.toUpperCase()}`,
                `${invalid}${key} cannot be empty`,
                [...at, key],
              ),
            ]
          : [],
      );
    default:
      return [];
  }
}

// `HookHandlerConfig::validate`
function handlerRules(handler: unknown, at: KeyPath): Problem[] {
  if (!isRecord(handler)) {
    return [];
  }
  const problems = [
    ...checkText(handler.name, [...at, 'name'], MAX_HANDLER_NAME_BYTES, {
      empty: ['EMPTY_NAME', 'handler name cannot be empty'],
      tooLong: ['NAME_TOO_LONG', 'handler name too long'],
    }),
    ...checkText(handler.pattern, [...at, 'pattern'], MAX_PATTERN_BYTES, {
      tooLong: ['PATTERN_TOO_LONG', 'pattern too long'],
    }),
  ];
  const timeout = handler.timeout_ms;
  if (typeof timeout === 'number' && timeout > MAX_TIMEOUT_MS) {
    const message = `invalid timeout: ${timeout} ms (max ${MAX_TIMEOUT_MS} ms)`;
    problems.push(error('TIMEOUT_TOO_LARGE', message, [...at, 'timeout_ms']));
  }
  const retries = handler.retry_count;
  if (typeof retries === 'number' && retries > MAX_RETRY_COUNT) {
    const message = `invalid retry count: ${retries} (max ${MAX_RETRY_COUNT})`;
    problems.push(
      error('RETRY_COUNT_TOO_LARGE', message, [...at, 'retry_count']),
    );
  }
  return [...problems, ...typeRules(handler, at)];
}

function duplicateNames(handlers: unknown[]): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  handlers.forEach((handler, index) => {
    const name = isRecord(handler) ? handler.name : undefined;
    if (typeof name !== 'string' || name === '') {
      return;
    }
    if (seen.has(name)) {
      const message = `configuration invalid: duplicate handler name: ${name}`;
      problems.push(
        error('DUPLICATE_NAME', message, ['handlers', index, 'name']),
      );
    }
    seen.add(name);
  });
  return problems;
}

/** The strict grammar, for patterns short enough to be worth reading. */
function patternProblem(pattern: unknown, path: KeyPath): Problem[] {
  if (typeof pattern !== 'string' || utf8Length(pattern) > MAX_PATTERN_BYTES) {
    return [];
  }
  const problem = checkPattern(pattern);
  if (problem === undefined) {
    return [];
  }
  const where = `token ${problem.tokenIndex} ${JSON.stringify(problem.token)}`;
  const message =
    pattern === ''
      ? 'invalid pattern: the pattern is empty'
      : `invalid pattern ${JSON.stringify(pattern)}: ${where} ${problem.reason}`;
  return [
    {
      ...error('INVALID_PATTERN', message, path),
      offset: problem.offset,
      length: problem.token.length,
    },
  ];
}

// settings production accepts but would quietly read otherwise
function handlerWarnings(handler: unknown, at: KeyPath): Problem[] {
  if (!isRecord(handler)) {
    return [];
  }
  const problems: Problem[] = [];
  if (handler.timeout_ms === 0) {
    const message =
      'timeout_ms = 0: production accepts it, but the handler times out ' +
      'as soon as it has to wait for anything';
    problems.push(warning('ZERO_TIMEOUT', message, [...at, 'timeout_ms']));
  }
  const priority = handler.job_priority;
  if (
    typeof priority === 'string' &&
    !(JOB_PRIORITIES as readonly string[]).includes(priority)
  ) {
    const message =
      `unknown job_priority ${JSON.stringify(priority)} becomes normal in ` +
      `production (known, case-sensitive: ${JOB_PRIORITIES.join(', ')})`;
    problems.push(
      warning('UNKNOWN_PRIORITY', message, [...at, 'job_priority']),
    );
  }
  if ((handler.execution_mode ?? 'direct') === 'direct') {
    if (
      typeof handler.retry_count === 'number' &&
      handler.retry_count !== DEFAULT_RETRY_COUNT
    ) {
      const message =
        'retry_count only applies in job mode: a direct handler gets one attempt';
      problems.push(
        warning('JOB_ONLY_KEY', message, [...at, 'retry_count'], 'key'),
      );
    }
    if (handler.job_priority !== undefined) {
      const message = 'job_priority only applies in job mode: ignored here';
      problems.push(
        warning('JOB_ONLY_KEY', message, [...at, 'job_priority'], 'key'),
      );
    }
  }
  return problems;
}

/**
 * Validates a config, parsed or still raw.
 *
 * @param raw - The config object (`[hooks]` contents plus `studio`).
 * @returns Production's errors in production's order, then the studio's
 *   pattern errors and warnings; paths are in config space.
 */
export function validateHooksConfig(raw: unknown): Problem[] {
  const config = isRecord(raw) ? raw : {};
  const handlers = Array.isArray(config.handlers) ? config.handlers : [];
  const topics = Array.isArray(config.publish_topics)
    ? config.publish_topics
    : [];
  const problems: Problem[] = [];

  // production's rules, in its order
  if (handlers.length > MAX_HANDLERS) {
    const message = `too many handlers: ${handlers.length} (max ${MAX_HANDLERS})`;
    problems.push(
      error('TOO_MANY_HANDLERS', message, ['handlers', MAX_HANDLERS]),
    );
  }
  handlers.forEach((handler, index) => {
    problems.push(...handlerRules(handler, ['handlers', index]));
  });
  problems.push(...duplicateNames(handlers));
  topics.forEach((topic, index) => {
    problems.push(
      ...checkText(topic, ['publish_topics', index], MAX_PATTERN_BYTES, {
        tooLong: ['PUBLISH_TOPIC_TOO_LONG', 'pattern too long'],
      }),
    );
  });

  // the studio's rules
  handlers.forEach((handler, index) => {
    const at = ['handlers', index];
    const pattern = isRecord(handler) ? handler.pattern : undefined;
    problems.push(...patternProblem(pattern, [...at, 'pattern']));
  });
  topics.forEach((topic, index) => {
    problems.push(...patternProblem(topic, ['publish_topics', index]));
  });
  handlers.forEach((handler, index) => {
    problems.push(...handlerWarnings(handler, ['handlers', index]));
  });
  problems.push(...unknownKeyProblems(config));
  return problems;
}
