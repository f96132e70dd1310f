// @vitest-environment node
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { JobEvent } from '../../../../engine/state/jobs/events';
import { scaled } from '../../../support/time-scale';
import { waitFor } from '../../../support/wait-for';

import {
  hooksToml,
  jobEvents,
  lines,
  publishThroughFailovers,
  recorder,
  saveFigures,
  startHookCluster,
  TOTAL,
  WAVES,
  type HookCluster,
} from './hook-cluster';

// job mode on a real 3-node cluster (TCP + LevelDB) with leader kills
describe('HookDispatcher', () => {
  let h: HookCluster | undefined;

  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });
  it('runs a job-mode hook for every matching event at least once while the leader is killed repeatedly', async () => {
    h = await startHookCluster();
    const file = join(h.workspace, 'jobs-seen.log');
    await writeFile(
      join(h.workspace, 'handlers', 'record.mjs'),
      recorder(file, 40),
    );
    await h.configure(
      hooksToml(`
[[hooks.handlers]]
name = "record"
pattern = "orders.*"
type = "in_process"
handler_id = "record"
execution_mode = "job"
retry_count = 5
timeout_ms = 2000
`),
    );

    await publishThroughFailovers(h, 'orders.created');

    const cluster = h;
    const seen = await waitFor(
      async () => {
        const all = await lines(file);
        return new Set(all).size === TOTAL ? all : undefined;
      },
      { timeoutMs: scaled(30_000), what: 'every event handled' },
    );
    const missing = Array.from({ length: TOTAL }, (_, n) => n).filter(
      (n) => !seen.includes(n),
    );
    expect(missing).toEqual([]);

    // and every job ends completed: none stays open or dead-lettered
    await waitFor(
      async () => {
        const events = await cluster.leaderEvents();
        return jobEvents(events, 'completed').length >= TOTAL;
      },
      { timeoutMs: scaled(30_000), what: 'every job completed' },
    );
    const events = await h.leaderEvents();
    expect(jobEvents(events, 'dead_letter')).toEqual([]);
    const reclaims = jobEvents(events, 'retrying').filter(
      (e) => e.reason === 'leader_lost',
    );
    await saveFigures('hooks-job-failover', {
      events: TOTAL,
      failovers: WAVES - 1,
      runs: seen.length,
      duplicates: seen.length - TOTAL,
      missing: missing.length,
      reclaimedAttempts: reclaims.length,
    });
  });
  it('retries a flaky job-mode shell hook with the exact back-off, dead-letters it, and redrives it after the fix', async () => {
    h = await startHookCluster();
    await h.configure(
      hooksToml(`
[[hooks.handlers]]
name = "flaky"
pattern = "deploys.*"
type = "shell"
command = "echo try; test -f fixed.flag || { echo not yet >&2; exit 1; }"
execution_mode = "job"
retry_count = 4
timeout_ms = 2000
studio_grace_ms = 200
`),
    );
    await h.propose({ t: 'publish', topic: 'deploys.started', payload: {} });

    const cluster = h;
    const dead = await waitFor(
      async () => jobEvents(await cluster.leaderEvents(), 'dead_letter')[0],
      { timeoutMs: scaled(20_000), what: 'the job in the DLQ' },
    );
    expect(dead).toMatchObject({
      attempts: 4,
      maxAttempts: 4,
      reason: 'max_retries_exceeded',
      error: 'exit 1',
    });

    // 100, 200, 400 ms, and no attempt ran before its retry was due
    const events = await h.leaderEvents();
    const retries = events.filter((e) => e.topic === '$jobs.retrying');
    expect(retries.map((e) => (e.payload as JobEvent).delayMs)).toEqual([
      100, 200, 400,
    ]);
    const runs = events.filter((e) => e.topic === '$jobs.running');
    expect(runs.map((e) => (e.payload as JobEvent).attempt)).toEqual([
      1, 2, 3, 4,
    ]);
    retries.forEach((retry, i) => {
      const delay = (retry.payload as JobEvent).delayMs!;
      expect(runs[i + 1]!.time - retry.time).toBeGreaterThanOrEqual(delay);
    });

    await writeFile(join(h.workspace, 'fixed.flag'), '');
    await h.propose({
      t: 'jobs',
      cmd: { type: 'redrive', ids: [dead.job] },
    });
    const done = await waitFor(
      async () => jobEvents(await cluster.leaderEvents(), 'completed')[0],
      { timeoutMs: scaled(20_000), what: 'the redriven job to complete' },
    );
    expect(done).toMatchObject({ job: dead.job, attempts: 1, redriveCount: 1 });

    // the terminal shows each attempt with its output and exit line
    const meta = h.terminal.filter((line) => line.stream === 'meta');
    expect(meta.filter((line) => line.text.startsWith('▶ flaky'))).toHaveLength(
      5,
    );
    expect(meta.filter((line) => line.text.includes('exit 1'))).toHaveLength(4);
    expect(meta.filter((line) => line.text.includes('exit 0'))).toHaveLength(1);
    expect(
      h.terminal.some(
        (l) => l.stream === 'stderr' && l.text.includes('not yet'),
      ),
    ).toBe(true);

    const leader = await h.leader();
    const flaky = h.dispatchers
      .get(leader)!
      .hooks()
      .find((x) => x.name === 'flaky');
    expect(flaky?.metrics).toMatchObject({ succeeded: 1, deadLettered: 1 });
  });
});
