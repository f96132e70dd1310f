// @vitest-environment node
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { parseKvHistory } from '../../../engine/check/history-parsers';
import { kvModel } from '../../../engine/check/kv-model';
import { checkOperations } from '../../../engine/check/linearizability';
import { printFigure } from './histories';

const KV = path.resolve(process.cwd(), '../shared/testdata/linearizability/kv');

// Checked whole, the ten-client histories take seconds and about 1.6 M
// steps; key by key, a few thousand. Serial because the whole check is
// the slowest thing in this directory.
describe('checkOperations() with and without partitioning', () => {
  it.each([
    ['c10-ok.txt', 'linearizable'],
    ['c10-bad.txt', 'not-linearizable'],
  ])(
    'gives kv/%s the verdict %s both ways',
    (file, expected) => {
      const ops = parseKvHistory(readFileSync(path.join(KV, file), 'utf8'));
      const timed = (partition: boolean) => {
        const start = performance.now();
        const result = checkOperations(kvModel, ops, {
          partition,
          budgetMs: 50_000,
        });
        return { result, ms: performance.now() - start };
      };

      const split = timed(true);
      const whole = timed(false);

      printFigure(
        `kv/${file}: key by key ${split.ms.toFixed(1)} ms ` +
          `(${split.result.steps} steps in ${split.result.partitions} ` +
          `partitions), whole ${whole.ms.toFixed(0)} ms ` +
          `(${whole.result.steps} steps)`,
      );
      expect(split.result.verdict).toBe(expected);
      expect(whole.result.verdict).toBe(expected);
    },
    60_000,
  );
});
