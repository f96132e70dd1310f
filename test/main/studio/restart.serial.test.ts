// @vitest-environment node
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { silentLogger } from '../../../engine/ports/logger';
import { createRouter } from '../../../main/server/router';
import { studioHandlers } from '../../../main/studio/studio-handlers';
import { StudioService } from '../../../main/studio/studio-service';
import type { StudioApi } from '../../../preload/contract';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';
import { waitForLeader } from '../support/studio-fixture';

const WRITER = join(__dirname, 'fixtures', 'studio-writer.ts');

/** Every acknowledged line the writer printed, by kind. */
interface Acked {
  event: string[];
  job: string[];
  dlq: string[];
}

function startWriter(workspace: string, dataDir: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', WRITER, workspace, dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const acked: Acked = { event: [], job: [], dlq: [] };
  let rest = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      const [kind, id] = line.split(' ');
      if (kind === 'event' || kind === 'job' || kind === 'dlq') {
        acked[kind].push(id!);
      }
    }
  });
  return { child, acked };
}

// an api over the router, as any carrier would reach it
function apiOf(service: StudioService): StudioApi['invoke'] {
  const router = createRouter(
    studioHandlers(service, { carrier: 'browser', version: '0' }),
  );
  return async (channel, request) => {
    const result = await router(channel, request);
    if (!result.ok) {
      throw Object.assign(new Error(result.error.message), result.error);
    }
    return result.value as never;
  };
}

async function allEventIds(invoke: StudioApi['invoke']): Promise<Set<string>> {
  const ids = new Set<string>();
  let from: string | undefined;
  for (;;) {
    const page = await invoke('events:range', {
      pattern: 'restart.>',
      limit: 1000,
      ...(from ? { from } : {}),
    });
    page.events.forEach((event) => ids.add(event.id));
    if (page.next === null) {
      return ids;
    }
    from = page.next;
  }
}

describe('StudioService', () => {
  let child: ChildProcess | undefined;
  let service: StudioService | undefined;
  let root: string | undefined;

  afterEach(async () => {
    child?.kill('SIGKILL');
    await service?.close();
    if (root) {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('keeps every acknowledged event, job and DLQ entry when its process is killed mid-stream', async () => {
    root = await mkdtemp(join(tmpdir(), 'aspen-restart-'));
    const workspace = join(root, 'workspace');
    const dataDir = join(root, 'data');
    const writer = startWriter(workspace, dataDir);
    child = writer.child;
    await waitFor(
      () => writer.acked.event.length >= 60 && writer.acked.dlq.length >= 3,
      { timeoutMs: scaled(30_000), what: 'the writer to get going' },
    );

    // the writer is still writing: kill it without warning
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const acked = structuredClone(writer.acked);

    service = await StudioService.open(workspace, {
      dataDir,
      logger: silentLogger,
    });
    await waitForLeader(service);
    const invoke = apiOf(service);

    const missingEvents = await waitFor(
      async () => {
        const ids = await allEventIds(invoke);
        const missing = acked.event.filter((id) => !ids.has(id));
        return missing.length === 0 ? [] : undefined;
      },
      { timeoutMs: scaled(20_000), what: 'every acknowledged event' },
    );
    expect(missingEvents).toEqual([]);

    const { jobs, dlq } = await invoke('jobs:list', {});
    const inDlq = new Set(
      dlq.flatMap((group) => group.entries.map((e) => e.id)),
    );
    expect(acked.dlq.filter((id) => !inDlq.has(id))).toEqual([]);
    const known = new Set([
      ...inDlq,
      ...jobs.priorities.flatMap((p) =>
        [...p.ready, ...p.scheduled, ...p.leased].map((j) => j.id),
      ),
    ]);
    expect(acked.job.filter((id) => !known.has(id))).toEqual([]);
  });
});
