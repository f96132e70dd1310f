// @vitest-environment node
import { chmodSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  shellEnvironment,
  type HookEventVariables,
} from '../../../../engine/hooks/shell/environment';
import { ProcessGroups } from '../../../../engine/hooks/shell/process-groups';
import {
  runShell,
  type ShellRunOptions,
} from '../../../../engine/hooks/shell/shell-runner';
import { AspenError } from '../../../../engine/util/errors';
import { waitFor } from '../../../support/wait-for';

const EVENT: HookEventVariables = {
  eventJson: '{"event_type":"write_committed","payload":{"key":"a"}}',
  topic: 'hooks.kv.write_committed',
  eventType: 'kv.write_committed',
};

const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'aspen-shell-')));

function run(command: string, extra: Partial<ShellRunOptions> = {}) {
  return runShell({
    command,
    cwd,
    env: shellEnvironment(process.env, { GREETING: 'hi' }, EVENT),
    timeoutMs: 5_000,
    graceMs: 200,
    ...extra,
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runShell()', () => {
  it('succeeds on exit 0 with the hook variables and nothing else', async () => {
    process.env.ASPEN_TEST_SECRET = 'leak';
    const result = await run('env | sort');
    delete process.env.ASPEN_TEST_SECRET;
    expect(result.outcome).toEqual({ status: 'succeeded' });
    const names = result.stdout
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('=')[0]);
    expect(names).toContain('ASPEN_HOOK_EVENT');
    expect(names).toContain('ASPEN_HOOK_TOPIC');
    expect(names).toContain('GREETING');
    expect(names).not.toContain('ASPEN_TEST_SECRET');
    expect(result.stdout.text()).toContain(
      'ASPEN_HOOK_EVENT_TYPE=kv.write_committed',
    );
  });

  it('passes the event JSON intact', async () => {
    const result = await run('printf %s "$ASPEN_HOOK_EVENT"');
    expect(result.stdout.text()).toBe(EVENT.eventJson);
  });

  it('runs in the working directory with stdin from /dev/null', async () => {
    const result = await run('pwd; cat; echo done');
    expect(result.stdout.text()).toBe(`${cwd}\ndone\n`);
  });

  it('reports a missing working directory clearly', async () => {
    const result = await run('true', { cwd: join(cwd, 'missing') });
    expect(result.outcome).toMatchObject({
      status: 'failed',
      reason: 'spawn-error',
    });
    expect(
      result.outcome.status === 'failed' && result.outcome.message,
    ).toContain('does not exist');
  });

  it('asks for a retry on exit 75 and fails on other codes', async () => {
    expect((await run('exit 75')).outcome.status).toBe('retry');
    const failed = await run('exit 3');
    expect(failed.outcome).toEqual({
      status: 'failed',
      reason: 'exit',
      message: 'exit 3',
    });
    expect(failed.exitCode).toBe(3);
  });

  it('reports 126 and 127 exactly', async () => {
    const script = join(cwd, 'not-executable.sh');
    writeFileSync(script, 'echo hi\n');
    chmodSync(script, 0o644);
    const notExecutable = await run(script);
    expect(notExecutable.outcome).toMatchObject({ reason: 'not-executable' });
    expect(notExecutable.exitCode).toBe(126);
    const notFound = await run('no-such-command-aspen');
    expect(notFound.outcome).toMatchObject({ reason: 'not-found' });
    expect(notFound.exitCode).toBe(127);
  });

  it('reports death by a signal', async () => {
    const result = await run('kill -USR1 $$');
    expect(result.signal).toBe('SIGUSR1');
    expect(result.outcome).toMatchObject({
      status: 'failed',
      reason: 'signal',
      message: 'killed by signal SIGUSR1',
    });
  });

  it('times out with SIGTERM to the group', async () => {
    const result = await run('sleep 30', { timeoutMs: 200 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGTERM');
    expect(result.outcome).toMatchObject({ reason: 'timeout' });
  });

  it('SIGKILLs a command that ignores SIGTERM after the grace period', async () => {
    const result = await run("trap '' TERM; while :; do sleep 0.05; done", {
      timeoutMs: 200,
      graceMs: 200,
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
  });

  it('kills a background child that holds the output pipe', async () => {
    const result = await run('sleep 30 & echo $!', { timeoutMs: 300 });
    const childPid = Number(result.stdout.text().trim());
    expect(childPid).toBeGreaterThan(0);
    expect(result.timedOut).toBe(true);
    expect(result.outcome.status).toBe('failed');
    await waitFor(() => !isAlive(childPid), { what: 'the child to die' });
  });

  it('keeps output bounded and counts the rest', async () => {
    const result = await run('head -c 200000 /dev/zero', {
      maxOutputBytes: 1000,
    });
    expect(result.stdout.bytes().byteLength).toBe(1000);
    expect(result.stdout.totalBytes).toBe(200_000);
    expect(result.stdout.droppedBytes).toBe(199_000);
  });

  it('shows output that is not UTF-8 safely', async () => {
    const result = await run("printf 'ok \\377\\376 end' >&2");
    expect(result.stderr.text()).toBe('ok \uFFFD\uFFFD end');
  });

  it('streams output live, before the command ends', async () => {
    const seen: string[] = [];
    const done = run('echo first; sleep 0.5; echo second', {
      onOutput: (stream, chunk) =>
        seen.push(`${stream}:${Buffer.from(chunk).toString()}`),
    });
    await waitFor(() => seen.length > 0, { what: 'the first line' });
    expect(seen).toEqual(['stdout:first\n']);
    await done;
    expect(seen.join('')).toContain('second');
  });

  it('kills the group at once when aborted', async () => {
    const controller = new AbortController();
    const done = run('sleep 30', { signal: controller.signal });
    controller.abort();
    const result = await done;
    expect(result.outcome).toMatchObject({ reason: 'aborted' });
  });

  it('leaves no group behind after killAll()', async () => {
    const groups = new ProcessGroups();
    const done = run('sleep 30 & sleep 30 & wait', { groups });
    await waitFor(() => groups.size === 1, { what: 'the group' });
    groups.killAll();
    const result = await done;
    expect(result.signal).toBe('SIGKILL');
    expect(groups.size).toBe(0);
  });
});

describe('shellEnvironment()', () => {
  it('refuses a 200 KB event with its size', () => {
    const big = {
      ...EVENT,
      eventJson: JSON.stringify({ x: 'y'.repeat(200_000) }),
    };
    let error: unknown;
    try {
      shellEnvironment({}, {}, big);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AspenError);
    expect((error as AspenError).code).toBe('EVENT_TOO_LARGE');
    expect((error as AspenError).message).toMatch(
      /ASPEN_HOOK_EVENT is 195\.3 KiB, over the 128\.0 KiB/,
    );
  });

  it('accepts an event just under the limit, and sh receives it', async () => {
    const payload = 'z'.repeat(120_000);
    const env = shellEnvironment(
      process.env,
      {},
      {
        ...EVENT,
        eventJson: payload,
      },
    );
    const result = await runShell({
      command: 'printf %s "$ASPEN_HOOK_EVENT" | wc -c',
      cwd,
      env,
      timeoutMs: 5000,
    });
    expect(result.stdout.text().trim()).toBe('120000');
  });
});
