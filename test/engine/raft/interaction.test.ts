// @vitest-environment node
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runScript } from './datadriven';
import { ScriptRunner } from './script-commands';

const TESTDATA = join(__dirname, 'testdata');

describe('RaftNode scripts', () => {
  const files = readdirSync(TESTDATA).filter((f) => f.endsWith('.txt'));

  for (const file of files.sort()) {
    it(`produces the expected trace for ${file}`, () => {
      const runner = new ScriptRunner();
      const { expected, actual } = runScript(join(TESTDATA, file), (block) =>
        runner.run(block),
      );
      expect(actual).toBe(expected);
    });
  }
});
