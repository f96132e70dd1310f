import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { StudioError } from './errors';

/** A small JSON file of the studio's own, with its format version. */
export interface VersionedFile<T> {
  /** The file's path. */
  file: string;
  /** The version this build writes and the newest it reads. */
  version: number;
  /** How to get past a file a newer studio wrote. */
  wayOut: string;
  /** The contents of a file that is missing. */
  empty(): T;
  /** The error for a version this build does not read. */
  refuse?(found: unknown): Error;
}

/**
 * Reads a versioned JSON file; a missing one reads as empty.
 *
 * @throws `UNSUPPORTED_FORMAT` for a newer or unreadable version; the
 *   file is left as it is, so the studio that wrote it still reads it.
 */
export async function readVersioned<T>(spec: VersionedFile<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(spec.file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return spec.empty();
    }
    throw error;
  }
  let found: unknown = 'unreadable';
  let data: { version?: unknown; data?: unknown } | undefined;
  try {
    data = JSON.parse(text) as typeof data;
    found = data?.version ?? 'none';
  } catch {
    // reported below as an unreadable version
  }
  if (found !== spec.version || data?.data === undefined) {
    if (spec.refuse !== undefined) {
      throw spec.refuse(found);
    }
    throw new StudioError(
      'UNSUPPORTED_FORMAT',
      `${spec.file} has format version ${String(found)}; this build ` +
        `supports version ${spec.version}. ${spec.wayOut}`,
    );
  }
  return data.data as T;
}

/** Writes a versioned JSON file atomically (a temp file, then rename). */
export async function writeVersioned<T>(
  spec: VersionedFile<T>,
  data: T,
): Promise<void> {
  await mkdir(dirname(spec.file), { recursive: true });
  const temp = `${spec.file}.${process.pid}.tmp`;
  const text = JSON.stringify({ version: spec.version, data }, null, 2);
  await writeFile(temp, `${text}\n`);
  await rename(temp, spec.file);
}
