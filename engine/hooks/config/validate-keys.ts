/**
 * Warnings for keys the schema does not know. Production ignores unknown
 * keys, so a misspelt `timout_ms` silently becomes the default; these
 * warnings are the only place the user hears about it.
 *
 * @packageDocumentation
 */

import { isRecord, type KeyPath, type Problem } from './diagnostic';
import { HANDLER_TYPES, KNOWN_KEYS, type HookHandlerType } from './schema';

function unknownKey(path: KeyPath, message: string): Problem {
  return {
    rule: 'UNKNOWN_KEY',
    severity: 'warning',
    message,
    path,
    target: 'key',
  };
}

function isHandlerType(value: unknown): value is HookHandlerType {
  return (HANDLER_TYPES as readonly unknown[]).includes(value);
}

function handlerKeys(handler: unknown, at: KeyPath): Problem[] {
  if (!isRecord(handler) || !isHandlerType(handler.type)) {
    return [];
  }
  const type = handler.type;
  const known = KNOWN_KEYS.handler[type];
  const problems = Object.keys(handler)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const otherType = HANDLER_TYPES.find((other) =>
        KNOWN_KEYS.handler[other].includes(key),
      );
      const message =
        otherType === undefined
          ? `unknown key \`${key}\`: production ignores it`
          : `\`${key}\` belongs to ${otherType} handlers, not ${type}: ` +
            'production ignores it';
      return unknownKey([...at, key], message);
    });

  const limit = handler.studio_rate_limit;
  if (isRecord(limit)) {
    for (const key of Object.keys(limit)) {
      if (!KNOWN_KEYS.rateLimit.includes(key)) {
        const message = `unknown key \`${key}\` in studio_rate_limit: ignored`;
        problems.push(unknownKey([...at, 'studio_rate_limit', key], message));
      }
    }
  }
  return problems;
}

/**
 * Unknown keys of the config, its handlers, their rate limits and the
 * `[studio]` table.
 *
 * @param config - The config object, parsed or raw.
 * @returns One warning per unknown key, pointing at the key.
 */
export function unknownKeyProblems(config: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.config.includes(key)) {
      const message = `unknown key \`${key}\` in [hooks]: production ignores it`;
      problems.push(unknownKey([key], message));
    }
  }
  const handlers = Array.isArray(config.handlers) ? config.handlers : [];
  handlers.forEach((handler, index) => {
    problems.push(...handlerKeys(handler, ['handlers', index]));
  });
  if (isRecord(config.studio)) {
    for (const key of Object.keys(config.studio)) {
      if (!KNOWN_KEYS.studio.includes(key)) {
        const message = `unknown key \`${key}\` in [studio]: ignored`;
        problems.push(unknownKey(['studio', key], message));
      }
    }
  }
  return problems;
}
