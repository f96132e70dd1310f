import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

import { BoundedOutput } from './bounded-output';
import { handlerProcessGroups, type ProcessGroups } from './process-groups';
import { UnreadPipes } from '../fidelity/unread-pipes';
import type { Clock, Disposable } from '../../ports/clock';
import { systemClock } from '../../ports/clock';

/** Exit status that asks for a retry (sysexits EX_TEMPFAIL). */
export const EXIT_TEMPFAIL = 75;

/** Options of {@link runShell}. */
export interface ShellRunOptions {
  /** Run as `sh -c command`. */
  command: string;
  /** Absolute working directory. */
  cwd: string;
  /** The complete environment (see shellEnvironment). */
  env: Record<string, string>;
  timeoutMs: number;
  /** Gap between SIGTERM and SIGKILL. @defaultValue 5000 (production) */
  graceMs?: number;
  /** Bytes kept per stream per attempt. @defaultValue 65536 */
  maxOutputBytes?: number;
  /** Live output, as it arrives. */
  onOutput?(stream: 'stdout' | 'stderr', chunk: Uint8Array): void;
  /** Aborting kills the group at once (studio stop, node kill). */
  signal?: AbortSignal;
  /**
   * `production`: stdin inherited; stdout a pipe nobody reads, so a
   * command that writes more than it holds blocks until its timeout;
   * stderr read once, after a non-zero exit (reference §4).
   * @defaultValue 'studio'
   */
  fidelity?: 'studio' | 'production';
  clock?: Clock;
  groups?: ProcessGroups;
}

/** How an attempt ended. */
export type ShellOutcome =
  | { status: 'succeeded' }
  | { status: 'retry'; message: string }
  | {
      status: 'failed';
      reason:
        | 'exit'
        | 'signal'
        | 'timeout'
        | 'not-found'
        | 'not-executable'
        | 'spawn-error'
        | 'aborted';
      message: string;
    };

/** Everything known about one finished attempt. */
export interface ShellResult {
  outcome: ShellOutcome;
  /** The shell's exit code, or null when it died by a signal. */
  exitCode: number | null;
  /** The signal that ended the shell, if any. */
  signal: NodeJS.Signals | null;
  /** Whether the timeout fired (then SIGTERM, and SIGKILL after grace). */
  timedOut: boolean;
  durationMs: number;
  stdout: BoundedOutput;
  stderr: BoundedOutput;
  pid?: number;
}

/**
 * Runs one shell-handler attempt: `sh -c` in its own process group, stdin
 * from /dev/null, stdout and stderr read live and kept bounded. On timeout
 * the whole group gets SIGTERM, then SIGKILL after the grace period, so a
 * background child holding the output pipe cannot outlive the attempt.
 * Exit 0 succeeds, 75 asks for a retry, anything else fails. Under
 * production's rules ({@link ShellRunOptions.fidelity}) stdin, stdout and
 * stderr are set up as a production node sets them up.
 */
export async function runShell(options: ShellRunOptions): Promise<ShellResult> {
  const limit = options.maxOutputBytes ?? 65_536;
  const output = {
    stdout: new BoundedOutput(limit),
    stderr: new BoundedOutput(limit),
  };
  const unstarted = (message: string): ShellResult => ({
    outcome: { status: 'failed', reason: 'spawn-error', message },
    exitCode: null,
    signal: null,
    timedOut: false,
    durationMs: 0,
    ...output,
  });
  if (!existsSync(options.cwd)) {
    return unstarted(`working directory ${options.cwd} does not exist`);
  }
  if (options.fidelity !== 'production') {
    return spawnShell(options, output);
  }
  let pipes: UnreadPipes;
  try {
    pipes = await UnreadPipes.open();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return unstarted(`could not make the output pipes: ${why}`);
  }
  try {
    return await spawnShell(options, output, pipes);
  } finally {
    pipes.close();
  }
}

function spawnShell(
  options: ShellRunOptions,
  output: { stdout: BoundedOutput; stderr: BoundedOutput },
  pipes?: UnreadPipes,
): Promise<ShellResult> {
  const clock = options.clock ?? systemClock;
  const groups = options.groups ?? handlerProcessGroups;
  const { stdout, stderr } = output;
  const started = clock.now();

  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null };
    let spawnError: Error | undefined;
    const timers: Disposable[] = [];

    const child = spawn('/bin/sh', ['-c', options.command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio:
        pipes === undefined
          ? ['ignore', 'pipe', 'pipe']
          : ['inherit', pipes.stdout, pipes.stderr],
    });
    pipes?.releaseWriteEnds();
    const pgid = child.pid;
    if (pgid !== undefined) {
      groups.add(pgid);
    }

    const stopGroup = (signal: NodeJS.Signals) => {
      if (pgid !== undefined) {
        groups.signal(pgid, signal);
      }
    };
    const terminate = () => {
      stopGroup('SIGTERM');
      timers.push(
        clock.setTimeout(() => stopGroup('SIGKILL'), options.graceMs ?? 5000),
      );
    };

    timers.push(
      clock.setTimeout(() => {
        timedOut = true;
        terminate();
      }, options.timeoutMs),
    );
    const onAbort = () => {
      aborted = true;
      stopGroup('SIGKILL');
    };
    if (options.signal?.aborted) {
      onAbort();
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      options.onOutput?.('stdout', chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      options.onOutput?.('stderr', chunk);
    });
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
    });

    // 'close' waits for both pipes, so a background child that keeps them
    // open holds the attempt until the timeout kills its group
    child.on('close', (code, signal) => {
      exit ??= { code, signal };
      for (const timer of timers) {
        timer.dispose();
      }
      options.signal?.removeEventListener('abort', onAbort);
      // the shell may be gone while members of its group live on
      stopGroup('SIGKILL');
      if (pgid !== undefined) {
        groups.delete(pgid);
      }
      if (pipes !== undefined && !timedOut && !aborted && exit.code !== 0) {
        const chunk = pipes.readStderrOnce();
        if (chunk.length > 0) {
          stderr.push(chunk);
          options.onOutput?.('stderr', chunk);
        }
      }
      resolve({
        outcome: describeOutcome(exit, { timedOut, aborted, spawnError }),
        exitCode: exit.code,
        signal: exit.signal,
        timedOut,
        durationMs: clock.now() - started,
        stdout,
        stderr,
        pid: pgid,
      });
    });
  });
}

function describeOutcome(
  exit: { code: number | null; signal: NodeJS.Signals | null },
  flags: { timedOut: boolean; aborted: boolean; spawnError?: Error },
): ShellOutcome {
  if (flags.spawnError !== undefined) {
    const message = `could not start /bin/sh: ${flags.spawnError.message}`;
    return { status: 'failed', reason: 'spawn-error', message };
  }
  if (flags.aborted) {
    return { status: 'failed', reason: 'aborted', message: 'stopped' };
  }
  if (flags.timedOut) {
    const how =
      exit.signal !== null
        ? `killed by ${exit.signal}`
        : `the shell exited ${exit.code} but its output stayed open`;
    return {
      status: 'failed',
      reason: 'timeout',
      message: `timed out (${how})`,
    };
  }
  if (exit.signal !== null) {
    const message = `killed by signal ${exit.signal}`;
    return { status: 'failed', reason: 'signal', message };
  }
  switch (exit.code) {
    case 0:
      return { status: 'succeeded' };
    case EXIT_TEMPFAIL:
      return { status: 'retry', message: 'exit 75 (EX_TEMPFAIL): retry asked' };
    case 126:
      return {
        status: 'failed',
        reason: 'not-executable',
        message: 'exit 126: command found but not executable',
      };
    case 127:
      return {
        status: 'failed',
        reason: 'not-found',
        message: 'exit 127: command not found',
      };
    default:
      return { status: 'failed', reason: 'exit', message: `exit ${exit.code}` };
  }
}
