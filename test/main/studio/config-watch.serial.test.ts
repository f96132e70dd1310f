// @vitest-environment node
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { studioHandlers } from '../../../main/studio/studio-handlers';
import type { ConfigPending, Notice } from '../../../preload/contract';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';
import { routerApi } from '../support/router-api';
import { openStudio, type StudioFixture } from '../support/studio-fixture';
import {
  workerRuntime,
  type WorkerRuntimeLog,
} from '../support/worker-runtime';

const info = { carrier: 'browser' as const, version: '0.0.0' };

describe('outside edits of a workspace', () => {
  let fixture: StudioFixture | undefined;

  afterEach(() => fixture?.cleanup());

  async function start(options: Parameters<typeof openStudio>[0] = {}) {
    fixture = await openStudio({ watchDebounceMs: 20, ...options });
    const { service, workspace } = fixture;
    const pending: ConfigPending[] = [];
    const notices: Notice[] = [];
    service.onPush((channel, payload) => {
      if (channel === 'config:pending') {
        pending.push(payload as ConfigPending);
      } else if (channel === 'app:notice') {
        notices.push(payload as Notice);
      }
    });
    const api = routerApi(studioHandlers(service, info));
    const file = join(workspace, 'hooks.toml');
    const original = await readFile(file, 'utf8');
    await api.invoke('config:apply', { text: original, save: false });
    await waitFor(() => pending.at(-1)?.isApplied, {
      what: 'the applied example to be pushed as applied',
    });
    return { api, file, original, pending, notices, workspace };
  }

  it('shows an edit of hooks.toml as unapplied and applies it on request', async () => {
    const { api, file, original, pending } = await start();

    // saved the way many editors do: a new file renamed over the old one
    const edited = original.replace('timeout_ms = 2000', 'timeout_ms = 3000');
    await writeFile(`${file}.tmp`, edited);
    await rename(`${file}.tmp`, file);

    const shown = await waitFor(
      () => pending.find((p) => p.text === edited && !p.isApplied),
      { what: 'the edit pushed as unapplied' },
    );
    const line = original.split('\n').indexOf('timeout_ms = 2000') + 1;
    expect(shown.isValid).toBe(true);
    expect(shown.applied?.text).toBe(original);
    expect(shown.diff.filter((d) => d.kind !== 'same')).toEqual([
      {
        kind: 'removed',
        text: 'timeout_ms = 2000',
        oldLine: line,
        newLine: null,
      },
      {
        kind: 'added',
        text: 'timeout_ms = 3000',
        oldLine: null,
        newLine: line,
      },
    ]);
    expect(await api.invoke('config:pending', {})).toMatchObject({
      text: edited,
      isApplied: false,
    });
    // nothing changes in the cluster until asked
    expect((await api.invoke('config:get', {})).applied?.text).toBe(original);

    await api.invoke('config:apply', { text: shown.text, save: false });
    await waitFor(
      () => pending.at(-1)?.isApplied && pending.at(-1)?.text === edited,
      { what: 'the edit pushed as applied' },
    );
    expect((await api.invoke('config:get', {})).applied?.text).toBe(edited);
  });

  it('reports an invalid edit where it is wrong, and a deleted file', async () => {
    const { file, original, pending } = await start();

    const broken = [
      original,
      '[[hooks.handlers]]',
      'name = "x"',
      'pattern = "a..b"',
      'type = "shell"',
      'command = "true"',
      '',
    ].join('\n');
    await writeFile(file, broken);
    const shown = await waitFor(() => pending.find((p) => p.text === broken), {
      what: 'the invalid edit',
    });
    expect(shown.isValid).toBe(false);
    const error = shown.diagnostics.find((d) => d.severity === 'error');
    expect(error).toMatchObject({
      line: broken.split('\n').indexOf('pattern = "a..b"') + 1,
    });
    expect(error?.column).toBeGreaterThan(0);

    await unlink(file);
    const gone = await waitFor(() => pending.find((p) => !p.exists), {
      what: 'the deletion',
    });
    expect(gone.diff.every((d) => d.kind === 'removed')).toBe(true);
  });

  it('reloads the handler workers when handlers/ changes', async () => {
    const log: WorkerRuntimeLog = { reloads: 0, values: [] };
    const { api, notices, workspace } = await start({
      hookRuntime: workerRuntime('probe.run', 'echo', log),
    });
    const module = join(workspace, 'handlers', 'echo.mjs');
    await writeFile(module, 'export default () => "v1";\n');
    await waitFor(() => notices.some((n) => n.message.includes('echo.mjs')), {
      what: 'the reload notice for the new module',
    });

    await api.invoke('events:publish', { topic: 'probe.run' });
    await waitFor(() => log.values.includes('v1'), { what: 'v1 to run' });

    const reloads = log.reloads;
    await writeFile(module, 'export default () => "v2";\n');
    const notice = await waitFor(
      () =>
        log.reloads >= reloads + 3
          ? [...notices].reverse().find((n) => n.message.includes('reloaded'))
          : undefined,
      { what: 'the workers to reload', timeoutMs: scaled(10_000) },
    );
    expect(notice.message).toContain('handler workers reloaded on 3 nodes');

    await api.invoke('events:publish', { topic: 'probe.run' });
    await waitFor(() => log.values.includes('v2'), { what: 'v2 to run' });
  });
});
