// @vitest-environment node
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../../engine/ports/logger';
import { studioHandlers } from '../../../main/studio/studio-handlers';
import { StudioService } from '../../../main/studio/studio-service';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';
import { routerApi } from '../support/router-api';
import { serve } from '../support/serve-process';
import { shellRuntime, type ShellRuntimeLog } from '../support/shell-runtime';
import { waitForLeader } from '../support/studio-fixture';

describe('workspace trust', () => {
  let root: string;
  let dataDir: string;
  let marker: string;
  let log: ShellRuntimeLog;
  let services: StudioService[];

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-trust-'));
    dataDir = join(root, 'data');
    marker = join(root, 'ran.txt');
    log = { made: 0, finished: [] };
    services = [];
  });

  afterEach(async () => {
    for (const service of services) {
      await service.close();
    }
    await rm(root, { recursive: true, force: true });
  });

  // a command that creates a file: proof that a handler ran
  async function open(workspace: string) {
    const service = await StudioService.open(workspace, {
      dataDir,
      logger: silentLogger,
      hookRuntime: shellRuntime(
        'probe.fire',
        `echo "$ASPEN_HOOK_EVENT_ID" >> '${marker}'`,
        log,
      ),
    });
    services.push(service);
    await waitForLeader(service);
    const api = routerApi(studioHandlers(service, info));
    return { service, api };
  }

  // a folder written by someone else, as a copy or a clone would be
  async function foreignWorkspace(): Promise<string> {
    const dir = join(root, 'cloned');
    await mkdir(dir);
    await writeFile(join(dir, 'hooks.toml'), '[hooks]\nenabled = true\n');
    return dir;
  }

  it('runs no shell command of an untrusted workspace until it is trusted', async () => {
    const { service, api } = await open(await foreignWorkspace());
    expect(service.workspace).toMatchObject({
      isTrusted: false,
      trustedBy: null,
    });

    // events flow and are recorded while handlers are paused
    const first = await api.invoke('events:publish', {
      topic: 'probe.fire',
      payload: { n: 1 },
    });
    await waitFor(
      async () => {
        const page = await api.invoke('events:range', { pattern: 'probe.*' });
        return page.events.some((event) => event.id === first.id);
      },
      { what: 'the event in the timeline' },
    );
    expect(log.made).toBe(0);
    expect(existsSync(marker)).toBe(false);
    expect(await api.invoke('hooks:list', {})).toMatchObject({
      isDispatching: false,
      isPaused: true,
    });

    const trusted = await api.invoke('workspace:trust', { isTrusted: true });
    expect(trusted.workspace).toMatchObject({
      isTrusted: true,
      trustedBy: 'user',
    });
    await waitFor(() => log.made === 3, { what: 'a runtime per node' });
    const second = await api.invoke('events:publish', {
      topic: 'probe.fire',
      payload: { n: 2 },
    });
    const ran = await waitFor(
      async () => (existsSync(marker) ? readFile(marker, 'utf8') : ''),
      { what: 'the shell command to run' },
    );
    // the event from before the trust was recorded, never run
    expect(ran.trim().split('\n')).toEqual([second.id]);
  });

  it('remembers the trust on this machine and takes it back on request', async () => {
    const dir = await foreignWorkspace();
    const first = await open(dir);
    await first.api.invoke('workspace:trust', { isTrusted: true });
    await first.service.close();

    const { service, api } = await open(dir);
    expect(service.workspace.trustedBy).toBe('user');
    await waitFor(() => log.made === 6, { what: 'runtimes after reopening' });

    await api.invoke('workspace:trust', { isTrusted: false });
    expect(service.nodes.activeRuntimes()).toEqual([]);
    await service.close();
    const again = await open(dir);
    expect(again.service.workspace.isTrusted).toBe(false);
  });

  it('trusts a workspace it created from the example, but not a copy of it', async () => {
    const created = join(root, 'created');
    const { service } = await open(created);
    expect(service.workspace).toMatchObject({
      isNew: true,
      isTrusted: true,
      trustedBy: 'created',
    });
    await service.close();

    const copy = join(root, 'copy');
    await cp(created, copy, { recursive: true });
    const copied = await open(copy);
    expect(copied.service.workspace).toMatchObject({
      isNew: false,
      isTrusted: false,
    });
  });

  it('trusts a foreign workspace for the run when asked to, and records it', async () => {
    const dir = await foreignWorkspace();
    const service = await StudioService.open(dir, {
      dataDir,
      logger: silentLogger,
      trust: true,
    });
    services.push(service);
    expect(service.workspace.trustedBy).toBe('flag');
  });

  it(
    'serves a foreign workspace paused, and trusted with --trust',
    async () => {
      const dir = await foreignWorkspace();
      const stop = async (run: ReturnType<typeof serve>) => {
        await run.running;
        run.child.kill('SIGTERM');
        expect(await run.exited).toBe(0);
        return run.output().out;
      };

      expect(await stop(serve(dir, dataDir))).toContain('Handlers are paused');
      const json = await stop(serve(dir, dataDir, ['--trust', '--json']));
      const printed = JSON.parse(json.trim().split('\n').at(-1)!);
      expect(printed.workspace).toMatchObject({
        isTrusted: true,
        trustedBy: 'flag',
      });
      // remembered on this machine
      expect(await stop(serve(dir, dataDir))).not.toContain('paused');
    },
    scaled(60_000),
  );
});

const info = { carrier: 'browser' as const, version: '0.0.0' };
