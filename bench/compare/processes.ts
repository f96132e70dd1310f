// Every server and load generator of the comparison runs in its own process
// group, so one signal to the group reaches whatever it forked, and no
// process outlives the benchmark, whether it ends, fails or is interrupted.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** A process group this benchmark started. */
export interface Managed {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or signal name) once it has exited. */
  readonly exited: Promise<number | string>;
  hasExited(): boolean;
}

const live = new Set<Managed>();

/** Options of {@link spawnGroup}. */
export interface SpawnGroupOptions {
  /** Where stdout and stderr go; discarded when unset. */
  logFile?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Keep stdout as a pipe (to read a printed address). */
  isStdoutPiped?: boolean;
  /** Open an IPC channel (for the load generator). */
  hasIpc?: boolean;
}

/** Starts `command` as the leader of a new process group. */
export function spawnGroup(
  command: string,
  args: string[],
  options: SpawnGroupOptions = {},
): Managed {
  const log =
    options.logFile === undefined ? 'ignore' : openSync(options.logFile, 'a');
  const stdout = options.isStdoutPiped ? 'pipe' : log;
  const stdio: ('ignore' | 'pipe' | 'ipc' | number)[] = ['ignore', stdout, log];
  if (options.hasIpc) {
    stdio.push('ipc');
  }
  const child = spawn(command, args, {
    detached: true,
    stdio,
    env: options.env ?? process.env,
    cwd: options.cwd,
  });
  if (typeof log === 'number') {
    closeSync(log);
  }
  let hasExited = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      hasExited = true;
      live.delete(managed);
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      hasExited = true;
      live.delete(managed);
      resolve(error.message);
    });
  });
  const managed: Managed = {
    pid: child.pid ?? -1,
    child,
    exited,
    hasExited: () => hasExited,
  };
  if (child.pid !== undefined) {
    live.add(managed);
  }
  return managed;
}

/** Sends `signal` to the whole group; a group already gone is fine. */
export function signalGroup(managed: Managed, signal: NodeJS.Signals): void {
  if (managed.pid <= 0 || managed.hasExited()) {
    return;
  }
  try {
    process.kill(-managed.pid, signal);
  } catch {
    // ESRCH: it exited between the check and the signal
  }
}

/** SIGTERM, then SIGKILL to the group if it is still there after `graceMs`. */
export async function stopGroup(managed: Managed, graceMs = 5000) {
  signalGroup(managed, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(managed, 'SIGKILL'), graceMs);
  await managed.exited;
  clearTimeout(timer);
  // the leader may exit before what it forked; the group must go too
  try {
    process.kill(-managed.pid, 'SIGKILL');
  } catch {
    // the group is empty
  }
}

/** Whether `managed` exits within `ms`. */
export async function exitsWithin(managed: Managed, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const hasExited = await Promise.race([
    managed.exited.then(() => true),
    timeout,
  ]);
  clearTimeout(timer);
  return hasExited;
}

/** SIGKILL to every group still running; safe inside an exit handler. */
export function killAllGroups(): void {
  for (const managed of live) {
    signalGroup(managed, 'SIGKILL');
  }
}

const finalizers: (() => void)[] = [];
let isCleanupInstalled = false;

/**
 * Kills every group on exit and on SIGINT, SIGTERM and SIGHUP, then runs
 * `finalize` (synchronous: an exit handler cannot wait).
 */
export function installCleanup(finalize?: () => void): void {
  if (finalize !== undefined) {
    finalizers.push(finalize);
  }
  if (isCleanupInstalled) {
    return;
  }
  isCleanupInstalled = true;
  const cleanUp = () => {
    killAllGroups();
    finalizers.splice(0).forEach((run) => run());
  };
  process.on('exit', cleanUp);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    });
  }
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('listen(0) gave no port');
  }
  return address.port;
}

/** Distinct free ports. */
export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    ports.add(await freePort());
  }
  return [...ports];
}

/**
 * The binary named by `envVar`, else the first of `name` on PATH or in the
 * sbin folders (Debian installs nats-server in /usr/sbin, which a CI
 * user's PATH may lack).
 */
export function findBinary(name: string, envVar: string): string | undefined {
  const given = process.env[envVar];
  if (given !== undefined && given !== '') {
    return existsSync(given) ? given : undefined;
  }
  const folders = [
    ...(process.env.PATH ?? '').split(delimiter),
    '/usr/sbin',
    '/usr/local/sbin',
    '/usr/bin',
  ];
  return folders
    .filter((folder) => folder !== '')
    .map((folder) => join(folder, name))
    .find((path) => existsSync(path));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns true, or throws naming `what`. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) {
        return;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${why}`,
      );
    }
    await sleep(50);
  }
}

/** CPU seconds (user + system) the processes have used; Linux only. */
export function cpuSeconds(pids: number[]): number | undefined {
  if (process.platform !== 'linux') {
    return undefined;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // fields after the parenthesised command; utime and stime are 14, 15
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return undefined;
    }
  }
  // USER_HZ is 100 on every Linux the CI runs
  return ticks / 100;
}
