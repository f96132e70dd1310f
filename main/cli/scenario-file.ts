import { dirname, resolve } from 'node:path';

import { parse as parseToml, TomlError } from 'smol-toml';

import { isRecord } from '../../engine/hooks/config/diagnostic';
import { locateToml } from '../../engine/hooks/config/toml-locator';
import { located } from './cli-io';
import {
  ScenarioError,
  type ParseContext,
  type ScenarioPath,
} from './scenario-error';
import { MAX_TIME_SPEED, MIN_TIME_SPEED } from '../../preload/contract-time';
import { EXPECT_KINDS, type Expectation } from './scenario-expects';
import { STEP_KINDS, type Step } from './scenario-steps';

/**
 * Scenario files: TOML beside the config they test (DESIGN §4). The
 * top-level keys are `config` (a hooks.toml to apply first, relative to
 * the scenario), `nodes` (1–7, default 3), `fidelity`, `timeout_ms` and
 * `time_scale` (the cluster's speed: 0.05 plays it at 1/20×, default 1);
 * then `[[step]]` tables run in order and `[[expect]]` tables checked
 * after the steps, each waiting up to its `within_ms` for its condition.
 *
 * Each step and expectation is one key naming its kind; the kinds live in
 * the registries of `./scenario-steps` and `./scenario-expects`, so a new
 * kind (the hook expectations that come with the dispatcher) is one more
 * entry there, parsed and placed like the others.
 */

/** A parsed, checked scenario. */
export interface Scenario {
  file: string;
  /** The config to apply before the steps, absolute. */
  configFile?: string;
  nodes: number;
  fidelity: 'studio' | 'production';
  /** Longest wait of a step (ms). */
  timeoutMs: number;
  /** The cluster's speed (`time_scale`, 0.05 is 1/20×). @defaultValue 1 */
  timeScale: number;
  steps: Step[];
  expects: Expectation[];
}

const TOP_KEYS = new Set([
  'config',
  'nodes',
  'fidelity',
  'timeout_ms',
  'time_scale',
  'step',
  'expect',
]);

/**
 * Parses and checks a scenario before anything runs.
 *
 * @throws Error with `file:line:col: message` for bad input (syntax,
 *   unknown keys, a node that does not exist, a payload file that is not
 *   JSON…).
 */
export function parseScenario(text: string, file: string): Scenario {
  let document: Record<string, unknown>;
  try {
    document = parseToml(text) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) {
      throw error;
    }
    const first = error.message.split('\n')[0] ?? '';
    const why = first.replace(/^Invalid TOML document: /, '');
    throw new Error(located(file, error.line, error.column, why), {
      cause: error,
    });
  }
  try {
    return readScenario(document, file);
  } catch (error) {
    if (!(error instanceof ScenarioError)) {
      throw error;
    }
    const map = locateToml(text);
    const span = map.spanOf(error.path, 'value');
    const { line, column } = map.position(span.start);
    throw new Error(located(file, line, column, error.message), {
      cause: error,
    });
  }
}

function readScenario(doc: Record<string, unknown>, file: string): Scenario {
  for (const key of Object.keys(doc)) {
    if (!TOP_KEYS.has(key)) {
      throw new ScenarioError([key], `unknown key ${JSON.stringify(key)}`);
    }
  }
  const dir = dirname(resolve(file));
  const nodes = doc.nodes ?? 3;
  if (
    !Number.isInteger(nodes) ||
    (nodes as number) < 1 ||
    (nodes as number) > 7
  ) {
    throw new ScenarioError(['nodes'], 'nodes must be an integer from 1 to 7');
  }
  const fidelity = doc.fidelity ?? 'studio';
  if (fidelity !== 'studio' && fidelity !== 'production') {
    throw new ScenarioError(
      ['fidelity'],
      'fidelity is "studio" or "production"',
    );
  }
  const timeoutMs = doc.timeout_ms ?? 10_000;
  if (!Number.isInteger(timeoutMs) || (timeoutMs as number) < 1) {
    throw new ScenarioError(
      ['timeout_ms'],
      'timeout_ms must be a positive integer',
    );
  }
  const timeScale = doc.time_scale ?? 1;
  if (
    typeof timeScale !== 'number' ||
    !(timeScale >= MIN_TIME_SPEED && timeScale <= MAX_TIME_SPEED)
  ) {
    throw new ScenarioError(
      ['time_scale'],
      `time_scale must be a number from ${MIN_TIME_SPEED} to ${MAX_TIME_SPEED}`,
    );
  }
  if (doc.config !== undefined && typeof doc.config !== 'string') {
    throw new ScenarioError(['config'], 'config is a path to a hooks.toml');
  }

  const context: ParseContext = { dir, nodes: nodes as number };
  const steps = tables(doc, 'step').map((table, i) =>
    pick(STEP_KINDS, table, ['step', i], 'step').parse(
      table,
      ['step', i],
      context,
    ),
  );
  const expects = tables(doc, 'expect').map((table, i) =>
    pick(EXPECT_KINDS, table, ['expect', i], 'expect').parse(
      table,
      ['expect', i],
      context,
    ),
  );
  return {
    file,
    ...(doc.config === undefined
      ? {}
      : { configFile: resolve(dir, doc.config) }),
    nodes: nodes as number,
    fidelity,
    timeoutMs: timeoutMs as number,
    timeScale,
    steps,
    expects,
  };
}

function tables(doc: Record<string, unknown>, key: string) {
  const value = doc[key] ?? [];
  if (!Array.isArray(value) || !value.every(isRecord)) {
    throw new ScenarioError([key], `${key} must be [[${key}]] tables`);
  }
  return value;
}

// the one key of a table that names its kind
function pick<K extends { parse: unknown }>(
  kinds: Readonly<Record<string, K>>,
  table: Record<string, unknown>,
  path: ScenarioPath,
  what: string,
): K {
  const named = Object.keys(table).filter((key) => Object.hasOwn(kinds, key));
  if (named.length !== 1) {
    const known = Object.keys(kinds).join(', ');
    const why =
      named.length === 0
        ? `a ${what} needs one of: ${known}`
        : `a ${what} has one kind, not ${named.join(' and ')}`;
    throw new ScenarioError(path, why);
  }
  return kinds[named[0]!]!;
}
