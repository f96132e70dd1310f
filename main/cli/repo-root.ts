import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder of the studio's package.json, found by walking up from this
 * file: the same answer from main/cli/ under tsx and from the built
 * out/main/.
 */
export function repoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: string;
      };
      if (name === 'aspen-hook-studio') {
        return dir;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`no aspen-hook-studio package.json above ${from}`);
    }
    dir = parent;
  }
}
