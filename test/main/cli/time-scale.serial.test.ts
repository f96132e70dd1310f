// @vitest-environment node
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import type { CliIo } from '../../../main/cli/cli-io';
import { runCli } from '../../../main/cli/run-cli';
import { parseScenario } from '../../../main/cli/scenario-file';
import { StudioService } from '../../../main/studio/studio-service';
import { prepareWorkspace } from '../../../main/studio/workspace';
import { scaled } from '../../support/time-scale';

function buffers() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t) };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('scenario time_scale', () => {
  let root: string;
  let workspace: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-time-scale-'));
    workspace = (await prepareWorkspace(join(root, 'ws'))).dir;
  });

  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reads time_scale, 1 when absent, and places a bad one', () => {
    expect(parseScenario('time_scale = 0.05\n', 'a.toml').timeScale).toBe(0.05);
    expect(parseScenario('nodes = 1\n', 'a.toml').timeScale).toBe(1);
    expect(() =>
      parseScenario('nodes = 1\ntime_scale = 0\n', 's.toml'),
    ).toThrow('s.toml:2:14: time_scale must be a number from 0.01 to 1000');
  });

  // a first election at 1/4× takes seconds: the cluster really is slowed
  it(
    'runs a scenario on a cluster slowed to its time_scale',
    { timeout: scaled(60_000) },
    async () => {
      const file = join(workspace, 'scenarios', 'slow.toml');
      await writeFile(
        file,
        `config = "../hooks.toml"
nodes = 1
time_scale = 0.25
timeout_ms = 30000

[[step]]
publish = { topic = "orders.created", payload = { id = 1 } }

[[expect]]
events = { pattern = "orders.*", count = 1 }
`,
      );
      // the real open, watched to see which speed the cluster started at
      const speeds: number[] = [];
      const real = StudioService.open.bind(StudioService);
      const spy = vi
        .spyOn(StudioService, 'open')
        .mockImplementation(async (dir, options) => {
          const service = await real(dir, options);
          speeds.push(service.cluster.timeControl.timeState().speed);
          return service;
        });
      try {
        const run = buffers();
        const code = await runCli(['test', file], run.io);
        expect(run.out()).toBe('1 scenario passed, 0 failed\n');
        expect(code).toBe(0);
        expect(speeds).toEqual([0.25]);
      } finally {
        spy.mockRestore();
        await rm(file);
      }
    },
  );

  it('refuses a serve --time-scale out of range', async () => {
    const run = buffers();
    const code = await runCli(['serve', '--time-scale', '5000'], run.io);
    expect(code).toBe(2);
    expect(run.err()).toContain('--time-scale must be 0.01 to 1000');
  });
});
