import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

import pino from 'pino';

import type { LogFields, Logger } from '../../engine/ports/logger';

/** A logger writing to a file, and how to flush and close it. */
export interface FileLogger {
  logger: Logger;
  close(): Promise<void>;
}

/**
 * The logger a studio service uses: the one given, or the rotating log
 * file in `dataDir/logs` (whose closing is added to `closers`).
 */
export function studioLogger(
  given: Logger | 'file' | undefined,
  dataDir: string,
  closers: (() => Promise<void>)[],
): Logger {
  if (given !== undefined && given !== 'file') {
    return given;
  }
  const file = openFileLogger(join(dataDir, 'logs', 'studio.log'));
  closers.push(file.close);
  return file.logger;
}

/** Log files kept: the current one and this many older ones. */
const KEEP = 3;

/** Size past which the log is rotated when a workspace opens. */
const ROTATE_BYTES = 5 * 1024 * 1024;

/**
 * The studio's log: pino, JSON lines, in the workspace's data folder,
 * rotated when a workspace opens if it grew past 5 MiB (three old files
 * are kept). Lines are structured, scoped by `child()` (`studio`, `raft`,
 * `cluster`, a node id…).
 */
export function openFileLogger(file: string, level = 'info'): FileLogger {
  mkdirSync(dirname(file), { recursive: true });
  rotate(file);
  // synchronous: info-level lines are rare, and a crash loses none
  const destination = pino.destination({ dest: file, sync: true });
  const root = pino({ level, base: { pid: process.pid } }, destination);
  return {
    logger: adapt(root),
    close: async () => {
      destination.end();
    },
  };
}

function rotate(file: string): void {
  if (!existsSync(file) || statSync(file).size < ROTATE_BYTES) {
    return;
  }
  for (let i = KEEP - 1; i >= 1; i--) {
    const older = join(dirname(file), `${rotatedName(file, i)}`);
    if (existsSync(older)) {
      renameSync(older, join(dirname(file), rotatedName(file, i + 1)));
    }
  }
  renameSync(file, join(dirname(file), rotatedName(file, 1)));
}

function rotatedName(file: string, n: number): string {
  const base = file.slice(dirname(file).length + 1);
  return base.replace(/(\.log)?$/, `.${n}$1`);
}

function adapt(target: pino.Logger): Logger {
  const at =
    (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: LogFields) =>
      target[level](fields ?? {}, message);
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => adapt(target.child(fields)),
  };
}
