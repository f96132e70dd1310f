import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/** The Electron executable when it is installed, otherwise undefined. */
export function electronBinary() {
  try {
    const dir = require
      .resolve('electron/package.json')
      .replace(/package\.json$/, '');
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) {
      return undefined;
    }
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}
