// @vitest-environment node
import {
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { shellContext } from '../../../../engine/hooks/fidelity/production-shell';
import type { HookEventVariables } from '../../../../engine/hooks/shell/environment';
import {
  runShell,
  type ShellRunOptions,
} from '../../../../engine/hooks/shell/shell-runner';

const VARIABLES: HookEventVariables = {
  eventJson: '{"event_type":"write_committed","payload":{"key":"a"}}',
  topic: 'hooks.kv.write_committed',
  eventType: 'kv.write_committed',
};

const workspace = realpathSync(mkdtempSync(join(tmpdir(), 'aspen-fidelity-')));
mkdirSync(join(workspace, 'bin'));
const nodeCwd = realpathSync(mkdtempSync(join(tmpdir(), 'aspen-node-cwd-')));
mkdirSync(join(nodeCwd, 'bin'));

afterAll(() => {
  for (const dir of [workspace, nodeCwd]) {
    rmSync(dir, { recursive: true, force: true });
  }
});

const inherited = { PATH: process.env.PATH, NODE_ONLY: 'from-the-node' };

function context(fidelity: 'studio' | 'production') {
  return shellContext({
    fidelity,
    inherited,
    studioEnv: { FROM_STUDIO_TABLE: 'yes' },
    workspaceDir: workspace,
    workingDir: 'bin',
    variables: VARIABLES,
    nodeCwd,
  });
}

function run(
  command: string,
  fidelity: 'studio' | 'production',
  extra: Partial<ShellRunOptions> = {},
) {
  const { env, cwd } = context(fidelity);
  return runShell({
    command,
    cwd,
    env,
    fidelity,
    timeoutMs: 5_000,
    graceMs: 200,
    ...extra,
  });
}

describe('shellContext()', () => {
  it('gives the studio only its few variables and [studio.env], in the workspace', () => {
    const { env, cwd } = context('studio');
    expect(env.NODE_ONLY).toBeUndefined();
    expect(env.FROM_STUDIO_TABLE).toBe('yes');
    expect(env.ASPEN_HOOK_TOPIC).toBe(VARIABLES.topic);
    expect(cwd).toBe(join(workspace, 'bin'));
  });

  it("gives production the node's whole environment and directory, without [studio.env]", () => {
    const { env, cwd } = context('production');
    expect(env.NODE_ONLY).toBe('from-the-node');
    expect(env.FROM_STUDIO_TABLE).toBeUndefined();
    expect(env.ASPEN_HOOK_EVENT_TYPE).toBe(VARIABLES.eventType);
    expect(cwd).toBe(join(nodeCwd, 'bin'));
  });
});

describe('runShell() under production rules', () => {
  it('lets a command fill a pipe exactly, and blocks it one byte later until its timeout', async () => {
    const fits = await run('head -c 65536 /dev/zero', 'production');
    expect(fits.outcome).toEqual({ status: 'succeeded' });
    expect(fits.stdout.text()).toBe('');

    const blocked = await run('head -c 65537 /dev/zero', 'production', {
      timeoutMs: 300,
    });
    expect(blocked.timedOut).toBe(true);
    expect(blocked.outcome).toMatchObject({ reason: 'timeout' });

    const studio = await run('head -c 200000 /dev/zero', 'studio');
    expect(studio.outcome).toEqual({ status: 'succeeded' });
  });

  it('reads stderr once, after a non-zero exit only', async () => {
    const lines: string[] = [];
    const failed = await run('echo why >&2; exit 4', 'production', {
      onOutput: (stream, chunk) =>
        lines.push(`${stream}:${new TextDecoder().decode(chunk)}`),
    });
    expect(failed.exitCode).toBe(4);
    expect(failed.stderr.text()).toBe('why\n');
    expect(lines).toEqual(['stderr:why\n']);

    const ok = await run('echo chatter >&2', 'production');
    expect(ok.outcome).toEqual({ status: 'succeeded' });
    expect(ok.stderr.text()).toBe('');
  });

  it("inherits the node's stdin instead of /dev/null", async () => {
    const own = readlinkSync('/proc/self/fd/0');
    const probe = 'test "$(readlink /proc/self/fd/0)" = "$EXPECTED"';
    const asNode = await run(probe, 'production', {
      env: { ...context('production').env, EXPECTED: own },
    });
    expect(asNode.outcome).toEqual({ status: 'succeeded' });
    const asStudio = await run(probe, 'studio', {
      env: { ...context('studio').env, EXPECTED: '/dev/null' },
    });
    expect(asStudio.outcome).toEqual({ status: 'succeeded' });
  });
});
