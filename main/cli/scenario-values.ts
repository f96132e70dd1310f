import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { isRecord } from '../../engine/hooks/config/diagnostic';
import type { JsonValue } from '../../preload/contract';
import {
  ScenarioError,
  type ParseContext,
  type ScenarioPath,
} from './scenario-error';

/**
 * Readers for the values of scenario tables. Each fails with a
 * {@link ScenarioError} at the value's path, which the parser turns into
 * `file:line:col: message`.
 */

/** Fails unless `table` holds only `allowed` keys. */
export function onlyKeys(
  table: Record<string, unknown>,
  allowed: readonly string[],
  path: ScenarioPath,
): void {
  for (const key of Object.keys(table)) {
    if (!allowed.includes(key)) {
      throw new ScenarioError(
        [...path, key],
        `unknown key ${JSON.stringify(key)}`,
      );
    }
  }
}

/** A node id the scenario's cluster has. */
export function nodeId(
  value: unknown,
  path: ScenarioPath,
  context: ParseContext,
) {
  if (!Number.isInteger(value)) {
    throw new ScenarioError(
      path,
      `expected a node id, got ${JSON.stringify(value)}`,
    );
  }
  const id = value as number;
  if (id < 1 || id > context.nodes) {
    throw new ScenarioError(
      path,
      `node ${id} does not exist: this scenario has nodes 1 to ${context.nodes}`,
    );
  }
  return id;
}

export function record(value: unknown, path: ScenarioPath, what: string) {
  if (!isRecord(value)) {
    throw new ScenarioError(path, `${what} is a table`);
  }
  return value;
}

export function string(
  value: unknown,
  path: ScenarioPath,
  what: string,
): string {
  if (typeof value !== 'string') {
    throw new ScenarioError(path, `${what} is a string`);
  }
  return value;
}

export function payloadOf(
  spec: Record<string, unknown>,
  path: ScenarioPath,
  dir: string,
) {
  if (spec.payload !== undefined && spec.payload_file !== undefined) {
    throw new ScenarioError(path, 'give payload or payload_file, not both');
  }
  if (spec.payload_file === undefined) {
    return JSON.parse(JSON.stringify(spec.payload ?? null)) as JsonValue;
  }
  const at = [...path, 'payload_file'];
  const file = resolve(dir, string(spec.payload_file, at, 'payload_file'));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ScenarioError(at, `cannot read ${file}`);
  }
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new ScenarioError(
      at,
      `${file} is not JSON: ${(error as Error).message}`,
    );
  }
}
