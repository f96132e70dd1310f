import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { silentLogger } from '../../../engine/ports/logger';
import {
  StudioService,
  type StudioServiceOptions,
} from '../../../main/studio/studio-service';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';

/** A real studio service (3 real nodes) in temporary folders. */
export interface StudioFixture {
  /** The open service; a test that reopens the workspace replaces it. */
  service: StudioService;
  workspace: string;
  dataDir: string;
  /** Closes the service and deletes both folders. */
  cleanup(): Promise<void>;
}

/** Opens a studio on a new workspace and waits for its first leader. */
export async function openStudio(
  options: Partial<StudioServiceOptions> = {},
): Promise<StudioFixture> {
  const root = await mkdtemp(join(tmpdir(), 'aspen-studio-'));
  const workspace = join(root, 'workspace');
  const dataDir = join(root, 'data');
  const service = await StudioService.open(workspace, {
    dataDir,
    logger: silentLogger,
    ...options,
  });
  await waitForLeader(service);
  const fixture: StudioFixture = {
    service,
    workspace,
    dataDir,
    async cleanup() {
      await fixture.service.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Waits until the studio's cluster has a leader; returns its id. */
export function waitForLeader(service: StudioService): Promise<number> {
  return waitFor(() => service.cluster.leader(), {
    timeoutMs: scaled(10_000),
    what: 'a leader',
  });
}
