import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Unpacks a .tar.gz with the system's own `tar` (so the archive is
 * checked by a real reader, not by ours); every file, by path.
 */
export async function untar(file: string): Promise<Map<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'aspen-untar-'));
  await promisify(execFile)('tar', ['-xzf', file, '-C', dir]);
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Map<string, string>();
  for (const entry of names.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(dir.length + 1), await readFile(path, 'utf8'));
  }
  return files;
}
