// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../../engine/ports/logger';
import { StudioService } from '../../../main/studio/studio-service';
import {
  openStudio,
  waitForLeader,
  type StudioFixture,
} from '../support/studio-fixture';

describe('StudioService', () => {
  let fixture: StudioFixture | undefined;

  afterEach(() => fixture?.cleanup());

  it('refuses a second opener of the same workspace', async () => {
    fixture = await openStudio();
    const second = StudioService.open(fixture.workspace, {
      dataDir: fixture.dataDir,
      logger: silentLogger,
    });
    await expect(second).rejects.toMatchObject({ code: 'WORKSPACE_LOCKED' });
    expect(fixture.service.cluster.leader()).toBeDefined();
  });

  it('restores KV, the applied config and its cluster when reopened', async () => {
    fixture = await openStudio();
    const { service, workspace, dataDir } = fixture;
    expect(service.workspace.isNew).toBe(true);
    await service.propose({ t: 'kv.put', key: 'kept', value: 'yes' });
    await service.propose({ t: 'hooks.config', version: 1, text: '[hooks]\n' });
    await service.close();

    const reopened = await StudioService.open(workspace, {
      dataDir,
      logger: silentLogger,
    });
    fixture.service = reopened;
    expect(reopened.workspace.isNew).toBe(false);
    expect(reopened.workspace.dataDir).toBe(service.workspace.dataDir);
    await waitForLeader(reopened);
    const machine = await reopened.readMachine();
    expect(machine.get('kept')?.value).toBe('yes');
    expect(machine.hooksConfig()?.version).toBe(1);
  });
});
