import { checkPattern } from '../../pubsub/subject';

import { GroupCommandError } from './errors';
import type { GroupConfig } from './types';
import { DEFAULT_GROUP_CONFIG, GROUP_CONFIG_RANGES } from './types';

/**
 * Checks of ids and configuration, with production's rules.
 *
 * @packageDocumentation
 */

const ID = /^[\p{Alphabetic}\p{Nd}_-]+$/u;
const MAX_ID_BYTES = 128;

function invalid(message: string): never {
  throw new GroupCommandError('INVALID_ARGUMENT', message);
}

/**
 * A group or consumer id: 1–128 UTF-8 bytes of letters, digits, `-` and
 * `_` (production's `ConsumerGroupId` and `ConsumerId`). Ids never hold a
 * `:`, which keeps deadline ids unambiguous.
 */
export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    invalid(`${field} must be letters, digits, '-' or '_'`);
  }
  const bytes = utf8Length(value);
  if (bytes > MAX_ID_BYTES) {
    invalid(`${field} is ${bytes} bytes (max ${MAX_ID_BYTES})`);
  }
  return value;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** A non-negative safe integer, or throws naming the field. */
export function checkCount(value: unknown, field: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    invalid(`${field} must be a non-negative integer`);
  }
  return value as number;
}

/** A full config from a partial one, checked against production's ranges. */
export function groupConfig(given: Partial<GroupConfig> = {}): GroupConfig {
  const config = { ...DEFAULT_GROUP_CONFIG, ...given };
  const problem = checkPattern(String(config.pattern_str));
  if (typeof config.pattern_str !== 'string' || problem !== undefined) {
    const why = problem ? `token ${problem.tokenIndex} ${problem.reason}` : '';
    invalid(`pattern_str ${JSON.stringify(config.pattern_str)} ${why}`);
  }
  if (config.assignment_mode !== 'competing') {
    invalid('assignment_mode: the studio runs only competing consumers');
  }
  if (config.partition_count !== 1) {
    invalid('partition_count: the studio runs only 1 partition');
  }
  if (config.ack_policy !== 'explicit' && config.ack_policy !== 'auto_ack') {
    invalid("ack_policy must be 'explicit' or 'auto_ack'");
  }
  for (const [field, [min, max]] of Object.entries(GROUP_CONFIG_RANGES)) {
    const value = config[field as keyof typeof GROUP_CONFIG_RANGES];
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      invalid(`${field} must be an integer in ${min}..${max}`);
    }
  }
  return {
    pattern_str: config.pattern_str,
    assignment_mode: config.assignment_mode,
    ack_policy: config.ack_policy,
    partition_count: config.partition_count,
    visibility_timeout_ms: config.visibility_timeout_ms,
    max_delivery_attempts: config.max_delivery_attempts,
    consumer_heartbeat_timeout_ms: config.consumer_heartbeat_timeout_ms,
  };
}
