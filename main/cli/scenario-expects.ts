import { isRecord } from '../../engine/hooks/config/diagnostic';
import { checkPattern, InvalidPatternError } from '../../engine/pubsub/subject';
import {
  ScenarioError,
  type ParseContext,
  type ScenarioPath,
} from './scenario-error';
import type { RunContext } from './scenario-steps';
import { nodeId, onlyKeys } from './scenario-values';

/** The outcome of one check of an expectation. */
export interface Verdict {
  ok: boolean;
  /** What was seen, for the report. */
  detail: string;
  /** No later check can change it: stop waiting. */
  isFinal?: boolean;
}

/** One parsed expectation, checked until it holds or `withinMs` passes. */
export interface Expectation {
  describe: string;
  withinMs: number;
  check(context: RunContext): Promise<Verdict>;
}

/** How one kind of expectation is read from its table. */
export interface ExpectKind {
  parse(
    table: Record<string, unknown>,
    path: ScenarioPath,
    context: ParseContext,
  ): Expectation;
}

const DEFAULT_WITHIN_MS = 5000;

function withinMs(table: Record<string, unknown>, path: ScenarioPath): number {
  const value = table.within_ms ?? DEFAULT_WITHIN_MS;
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new ScenarioError(
      [...path, 'within_ms'],
      'within_ms is a whole number of ms',
    );
  }
  return value as number;
}

function count(value: unknown, path: ScenarioPath): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new ScenarioError(path, 'expected a count (a whole number)');
  }
  return value as number;
}

/** Every kind of expectation, by the key that names it. */
export const EXPECT_KINDS: Readonly<Record<string, ExpectKind>> = {
  events: {
    parse(table, path) {
      onlyKeys(table, ['events', 'within_ms'], path);
      const at = [...path, 'events'];
      if (!isRecord(table.events)) {
        throw new ScenarioError(
          at,
          'events is a table like { pattern = "a.*", count = 1 }',
        );
      }
      const spec = table.events;
      onlyKeys(spec, ['pattern', 'count', 'at_least', 'at_most'], at);
      const pattern = spec.pattern ?? '>';
      const problem =
        typeof pattern === 'string' ? checkPattern(pattern) : undefined;
      if (typeof pattern !== 'string' || problem !== undefined) {
        const why = problem
          ? new InvalidPatternError(pattern as string, problem).message
          : 'pattern is a string';
        throw new ScenarioError([...at, 'pattern'], why);
      }
      const exact = count(spec.count, [...at, 'count']);
      const least = count(spec.at_least, [...at, 'at_least']) ?? exact ?? 1;
      const most = count(spec.at_most, [...at, 'at_most']) ?? exact ?? Infinity;
      const wanted =
        exact !== undefined
          ? `= ${exact}`
          : most === Infinity
            ? `≥ ${least}`
            : `${least}..${most}`;
      return {
        describe: `events ${pattern} ${wanted}`,
        withinMs: withinMs(table, path),
        check: async (c) => {
          let seen = 0;
          let from: string | undefined;
          for (;;) {
            const page = await c.call('events:range', {
              pattern,
              limit: 1000,
              ...(from === undefined ? {} : { from }),
            });
            seen += page.events.length;
            if (page.next === null) {
              break;
            }
            from = page.next;
          }
          return {
            ok: seen >= least && seen <= most,
            detail: `${seen} events`,
          };
        },
      };
    },
  },
  leader: {
    parse(table, path, context) {
      onlyKeys(table, ['leader', 'within_ms'], path);
      const want = table.leader;
      const at = [...path, 'leader'];
      const fixed =
        want === true || want === 'changed'
          ? undefined
          : nodeId(want, at, context);
      return {
        describe: `leader ${String(want)}`,
        withinMs: withinMs(table, path),
        check: async (c) => {
          const { leader } = await c.call('cluster:status', {});
          const detail = leader === null ? 'no leader' : `leader ${leader}`;
          if (leader === null) {
            return { ok: false, detail };
          }
          if (want === 'changed') {
            return { ok: leader !== c.initialLeader, detail };
          }
          return { ok: fixed === undefined || leader === fixed, detail };
        },
      };
    },
  },
  kv: {
    parse(table, path) {
      onlyKeys(table, ['kv', 'within_ms'], path);
      const at = [...path, 'kv'];
      if (!isRecord(table.kv) || typeof table.kv.key !== 'string') {
        throw new ScenarioError(
          at,
          'kv is a table like { key = "a", value = "1" }',
        );
      }
      onlyKeys(table.kv, ['key', 'value', 'absent'], at);
      const { key, value, absent } = table.kv as {
        key: string;
        value?: unknown;
        absent?: unknown;
      };
      if ((value === undefined) === (absent !== true)) {
        throw new ScenarioError(at, 'give value = "..." or absent = true');
      }
      return {
        describe:
          absent === true ? `kv ${key} absent` : `kv ${key} = ${String(value)}`,
        withinMs: withinMs(table, path),
        check: async (c) => {
          const got = await c.call('kv:get', { key });
          const detail = got.found ? `${key} = ${got.value}` : `${key} absent`;
          const ok =
            absent === true ? !got.found : got.found && got.value === value;
          return { ok, detail };
        },
      };
    },
  },
  dlq_contains: {
    parse(table, path) {
      onlyKeys(table, ['dlq_contains', 'within_ms'], path);
      const at = [...path, 'dlq_contains'];
      const spec = table.dlq_contains;
      if (!isRecord(spec) || typeof spec.hook !== 'string') {
        throw new ScenarioError(
          at,
          'dlq_contains is a table like { hook = "x", count = 1 }',
        );
      }
      onlyKeys(spec, ['hook', 'count'], at);
      const hook = spec.hook;
      const least = count(spec.count, [...at, 'count']) ?? 1;
      return {
        describe: `dlq contains ${least} of ${hook}`,
        withinMs: withinMs(table, path),
        check: async (c) => {
          const { dlq } = await c.call('jobs:list', {});
          const seen = dlq
            .flatMap((group) => group.entries)
            .filter((entry) => entry.origin?.hook === hook).length;
          return {
            ok: seen >= least,
            detail: `${seen} DLQ entries of ${hook}`,
          };
        },
      };
    },
  },
  hook: {
    parse(table, path) {
      const counters = [
        'runs_at_least',
        'succeeded_at_least',
        'failed_at_least',
      ];
      onlyKeys(table, ['hook', 'within_ms', ...counters], path);
      const hook = table.hook;
      if (typeof hook !== 'string') {
        throw new ScenarioError([...path, 'hook'], 'hook names a handler');
      }
      const runs = count(table.runs_at_least, [...path, 'runs_at_least']) ?? 0;
      const succeeded =
        count(table.succeeded_at_least, [...path, 'succeeded_at_least']) ?? 0;
      const failed =
        count(table.failed_at_least, [...path, 'failed_at_least']) ?? 0;
      return {
        describe: `hook ${hook} runs ≥ ${runs}, succeeded ≥ ${succeeded}, failed ≥ ${failed}`,
        withinMs: withinMs(table, path),
        check: async (c) => {
          const list = await c.call('hooks:list', {});
          if (!list.isDispatching) {
            const detail =
              'no hooks dispatcher runs in this studio yet, so no hook can run';
            return { ok: false, detail, isFinal: true };
          }
          const metrics = list.hooks.find((h) => h.name === hook)?.metrics;
          if (metrics == null) {
            return {
              ok: false,
              detail: `no hook named ${hook} in the applied config`,
              isFinal: true,
            };
          }
          const ran = metrics.succeeded + metrics.failed;
          const ok =
            ran >= runs &&
            metrics.succeeded >= succeeded &&
            metrics.failed >= failed;
          const detail = `${ran} runs, ${metrics.succeeded} succeeded, ${metrics.failed} failed`;
          return { ok, detail };
        },
      };
    },
  },
};
