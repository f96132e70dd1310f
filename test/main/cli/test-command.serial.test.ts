// @vitest-environment node
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CliIo } from '../../../main/cli/cli-io';
import { runCli } from '../../../main/cli/run-cli';
import { prepareWorkspace } from '../../../main/studio/workspace';

function buffers() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('aspen-studio test', () => {
  let root: string;
  let workspace: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-scenarios-'));
    workspace = (await prepareWorkspace(join(root, 'ws'))).dir;
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('runs the example workspace scenarios and passes', async () => {
    const run = buffers();
    const code = await runCli(['test', join(workspace, 'scenarios')], run.io);
    expect(run.err()).toContain('step 2 kill leader: ok');
    expect(code).toBe(0);
    expect(run.out()).toBe('1 scenario passed, 0 failed\n');
  });

  it('exits 1 with the details when an expectation fails', async () => {
    const file = join(workspace, 'scenarios', 'failing.toml');
    await writeFile(
      file,
      `config = "../hooks.toml"
nodes = 1

[[step]]
publish = { topic = "orders.created", payload = { id = 1 } }

[[expect]]
events = { pattern = "orders.*", count = 2 }
within_ms = 200

[[expect]]
hook = "order-echo"
runs_at_least = 1
`,
    );
    const run = buffers();
    const code = await runCli(['test', file, '--json'], run.io);
    expect(code).toBe(1);
    const report = JSON.parse(run.out());
    expect(report).toMatchObject({ passed: 0, failed: 1 });
    expect(report.scenarios[0].expects).toEqual([
      { describe: 'events orders.* = 2', ok: false, detail: '1 events' },
      {
        describe: expect.stringContaining('hook order-echo'),
        ok: true,
        detail: '1 runs, 1 succeeded, 0 failed',
      },
    ]);
    await rm(file);
  });

  it('exits 2 before running anything when a scenario names a missing node', async () => {
    const file = join(root, 'bad.toml');
    await writeFile(
      file,
      'nodes = 3\n[[step]]\nkill = "leader"\n[[step]]\nrestart = 7\n',
    );
    const run = buffers();
    const code = await runCli(['test', file], run.io);
    expect(code).toBe(2);
    expect(run.err()).toBe(
      `${file}:5:11: node 7 does not exist: this scenario has nodes 1 to 3\n`,
    );
  });

  it('exits 2 when the scenario config is invalid', async () => {
    await writeFile(
      join(root, 'broken.toml'),
      '[hooks]\n[[hooks.handlers]]\nname = 1\n',
    );
    const file = join(root, 'uses-broken.toml');
    await writeFile(file, 'config = "broken.toml"\n');
    const run = buffers();
    expect(await runCli(['test', file], run.io)).toBe(2);
    expect(run.err()).toBe(
      `${join(root, 'broken.toml')}:2:1: missing field \`type\`\n`,
    );
  });
});
