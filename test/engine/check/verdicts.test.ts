// @vitest-environment node
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  parseJepsenLog,
  parseKvHistory,
} from '../../../engine/check/history-parsers';
import { kvModel } from '../../../engine/check/kv-model';
import type { Verdict } from '../../../engine/check/linearizability';
import { checkOperations } from '../../../engine/check/linearizability';
import { registerModel } from '../../../engine/check/register-model';
import { printFigure } from './histories';

// the published vectors (see its README); CI has the same relative layout
const VECTORS = path.resolve(
  process.cwd(),
  '../shared/testdata/linearizability',
);

// far above what any file needs here, so that only a real regression (or
// a machine many times slower) turns a verdict into "unknown"
const BUDGET_MS = 30_000;

const verdicts = JSON.parse(
  readFileSync(path.join(VECTORS, 'verdicts.json'), 'utf8'),
) as Record<'jepsen-etcd' | 'kv', Record<string, Verdict>>;

const read = (folder: string, file: string) =>
  readFileSync(path.join(VECTORS, folder, file), 'utf8');

describe('checkOperations() on the published vectors', () => {
  it('covers all 74 files', () => {
    const count = Object.values(verdicts).flatMap(Object.keys).length;
    expect(count).toBe(74);
  });

  it.each(Object.entries(verdicts['jepsen-etcd']))(
    'gives jepsen-etcd/%s the verdict %s',
    (file, expected) => {
      const ops = parseJepsenLog(read('jepsen-etcd', file));
      const result = checkOperations(registerModel, ops, {
        budgetMs: BUDGET_MS,
      });
      expect(result.verdict).toBe(expected);
    },
  );

  it.each(Object.entries(verdicts.kv))(
    'gives kv/%s the verdict %s, key by key',
    (file, expected) => {
      const ops = parseKvHistory(read('kv', file));
      const result = checkOperations(kvModel, ops, { budgetMs: BUDGET_MS });
      expect(result.verdict).toBe(expected);
      expect(result.partitions).toBeGreaterThan(1);
    },
  );

  it.each(['c01-ok.txt', 'c01-bad.txt'])(
    'gives kv/%s the same verdict with and without partitioning',
    (file) => {
      const ops = parseKvHistory(read('kv', file));
      const timed = (partition: boolean) => {
        const start = performance.now();
        const result = checkOperations(kvModel, ops, {
          partition,
          budgetMs: BUDGET_MS,
        });
        return { result, ms: performance.now() - start };
      };
      const split = timed(true);
      const whole = timed(false);
      printFigure(
        `kv/${file}: key by key ${split.ms.toFixed(1)} ms ` +
          `(${split.result.steps} steps), whole ${whole.ms.toFixed(1)} ms ` +
          `(${whole.result.steps} steps)`,
      );
      expect(whole.result.partitions).toBe(1);
      expect(split.result.verdict).toBe(whole.result.verdict);
      expect(split.result.verdict).toBe(verdicts.kv[file]);
    },
  );
});
