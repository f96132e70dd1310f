// @vitest-environment node
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../../engine/ports/logger';
import { StudioService } from '../../../main/studio/studio-service';
import { scaled } from '../../support/time-scale';
import { serve } from '../support/serve-process';
import {
  openStudio,
  waitForLeader,
  type StudioFixture,
} from '../support/studio-fixture';

/** Proves a service still commits: a write and a linearizable read. */
async function expectCommitting(service: StudioService, key: string) {
  await service.propose({ t: 'kv.put', key, value: 'still here' });
  const machine = await service.readMachine();
  expect(machine.get(key)?.value).toBe('still here');
}

describe('one process per workspace', () => {
  let fixture: StudioFixture | undefined;
  let root: string | undefined;

  afterEach(async () => {
    await fixture?.cleanup();
    fixture = undefined;
    if (root !== undefined) {
      await rm(root, { recursive: true, force: true });
      root = undefined;
    }
  });

  it('refuses a second service in this process; the first keeps running', async () => {
    fixture = await openStudio({ holder: 'the studio under test' });
    const { service, workspace, dataDir } = fixture;

    const second = StudioService.open(workspace, {
      dataDir,
      logger: silentLogger,
    });
    await expect(second).rejects.toMatchObject({
      code: 'WORKSPACE_LOCKED',
      message:
        `${service.workspace.dir} is already open in the studio under test ` +
        `(pid ${process.pid} on ${hostname()}, ` +
        `since ${service.lockHolder.startedAt}); close it there first`,
    });
    await expectCommitting(service, 'after-second-open');
  });

  it(
    'refuses `aspen-studio serve` on an open workspace; the first keeps running',
    async () => {
      fixture = await openStudio({ holder: 'the studio under test' });
      const { service, workspace, dataDir } = fixture;

      const second = serve(workspace, dataDir);
      expect(await second.exited).toBe(1);
      const { err } = second.output();
      expect(err).toContain(
        `aspen-studio serve: ${service.workspace.dir} is already open in ` +
          `the studio under test (pid ${process.pid} on ${hostname()}`,
      );
      expect(err).not.toMatch(/LEVEL_|LOCK|IO error/);
      await expectCommitting(service, 'after-serve');
    },
    scaled(30_000),
  );

  it(
    'refuses a studio on a workspace `aspen-studio serve` has open',
    async () => {
      root = await mkdtemp(join(tmpdir(), 'aspen-two-'));
      const workspace = join(root, 'workspace');
      const dataDir = join(root, 'data');
      const first = serve(workspace, dataDir);
      try {
        await first.running;
        const second = StudioService.open(workspace, {
          dataDir,
          logger: silentLogger,
        });
        await expect(second).rejects.toMatchObject({
          code: 'WORKSPACE_LOCKED',
          message: expect.stringContaining(
            `is already open in aspen-studio serve (pid ${first.child.pid} on ` +
              `${hostname()}`,
          ),
        });
      } finally {
        first.child.kill('SIGTERM');
        expect(await first.exited).toBe(0);
      }

      // once it is gone the workspace opens, with everything it wrote
      const reopened = await StudioService.open(workspace, {
        dataDir,
        logger: silentLogger,
      });
      try {
        await waitForLeader(reopened);
        await expectCommitting(reopened, 'after-serve-stopped');
      } finally {
        await reopened.close();
      }
    },
    scaled(60_000),
  );
});
