import { spawn } from 'node:child_process';
import { join } from 'node:path';

import type { CliIo } from './cli-io';
import { repoRoot } from './repo-root';

/**
 * `bench [name]`: runs the benchmarks (scripts/bench.mjs, one process per
 * bench/*.bench.ts) with their output passed through; its exit code is
 * ours.
 */
export async function benchCommand(
  argv: string[],
  _io: CliIo,
): Promise<number> {
  const root = repoRoot();
  const child = spawn(
    process.execPath,
    [join(root, 'scripts', 'bench.mjs'), ...argv],
    { cwd: root, stdio: 'inherit' },
  );
  return new Promise((resolve) => {
    child.on('error', () => resolve(2));
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
