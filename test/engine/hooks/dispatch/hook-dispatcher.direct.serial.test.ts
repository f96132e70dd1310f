// @vitest-environment node
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import {
  compileDispatchConfig,
  matchingHooks,
} from '../../../../engine/hooks/dispatch/dispatch-config';
import { DirectLedger } from '../../../../engine/hooks/dispatch/direct-ledger';
import { CLUSTER_TOPICS } from '../../../../engine/state/cluster';
import { encodeCommand } from '../../../../engine/state/envelope';
import type { StateEvent } from '../../../../engine/state/module';
import { scaled } from '../../../support/time-scale';
import { waitFor } from '../../../support/wait-for';

import {
  hooksToml,
  lines,
  publishThroughFailovers,
  recorder,
  saveFigures,
  startHookCluster,
  TOTAL,
  WAVES,
  type HookCluster,
} from './hook-cluster';

// direct mode on a real 3-node cluster (TCP + LevelDB) with leader kills
describe('HookDispatcher', () => {
  let h: HookCluster | undefined;

  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });
  it('counts direct-mode losses during failover and shows each one as such', async () => {
    h = await startHookCluster();
    const file = join(h.workspace, 'direct-seen.log');
    await writeFile(
      join(h.workspace, 'handlers', 'click.mjs'),
      recorder(file, 20),
    );
    const text = hooksToml(`
[[hooks.handlers]]
name = "click"
pattern = "clicks.*"
type = "in_process"
handler_id = "click"
`);
    await h.configure(text);

    await publishThroughFailovers(h, 'clicks.made');

    // wait until no node has an attempt running and every node applied all
    const cluster = h;
    await waitFor(
      () => {
        const statuses = cluster.cluster.status();
        const commit = Math.max(...statuses.map((s) => s.commit));
        const isApplied = statuses.every((s) => s.applied >= commit);
        const isIdle = [...cluster.dispatchers.values()].every(
          (d) => d.inFlight().direct === 0,
        );
        return statuses.length === 3 && isApplied && isIdle;
      },
      { timeoutMs: scaled(20_000), what: 'dispatch to settle' },
    );

    const ledger = new DirectLedger();
    h.events.forEach((event) => ledger.record(event));
    const config = compileDispatchConfig({ version: 1, text, index: 0 });
    const all = await h.leaderEvents();
    const clicks = all.filter((e) => e.topic === 'clicks.made');
    const elections = all
      .filter((e) => e.topic === CLUSTER_TOPICS.leader)
      .map((e) => e.id.index);
    const hooksOf = (event: StateEvent) =>
      matchingHooks(config, event.topic, 'direct').map((hook) => hook.name);
    const fates = ledger.settle(clicks, hooksOf, elections);

    expect(clicks).toHaveLength(TOTAL);
    expect(fates).toHaveLength(TOTAL);
    for (const event of clicks) {
      expect(ledger.startsOf(event.id, 'click')).toBeLessThanOrEqual(1);
    }
    const count = (fate: string) => fates.filter((f) => f.fate === fate).length;
    const attempted = fates.filter((f) => f.fate === 'attempted');
    const ended = (status: string) =>
      attempted.filter((f) => f.status === status).length;
    const figures = {
      events: TOTAL,
      failovers: WAVES - 1,
      succeeded: ended('succeeded'),
      failed: ended('failed'),
      abortedByKill: ended('aborted'),
      dropped: count('dropped'),
      loopCut: count('loop_cut'),
      lostToLeadershipChange: count('lost'),
      pending: count('pending'),
    };
    expect(figures.pending).toBe(0);
    expect(
      figures.succeeded +
        figures.failed +
        figures.abortedByKill +
        figures.dropped +
        figures.loopCut +
        figures.lostToLeadershipChange,
    ).toBe(TOTAL);

    // what ran is exactly what the ledger says was attempted, once each
    const seen = await lines(file);
    expect(new Set(seen).size).toBe(seen.length);
    const attemptedIds = new Set(
      attempted.map((f) => `${f.eventId.index}.${f.eventId.offset}`),
    );
    for (const n of seen) {
      const event = clicks.find((e) => (e.payload as { n: number }).n === n)!;
      expect(attemptedIds.has(`${event.id.index}.${event.id.offset}`)).toBe(
        true,
      );
    }
    await saveFigures('hooks-direct-failover', {
      ...figures,
      ran: seen.length,
    });
  });
  it('marks a committed event that no leader dispatched as lost to the leadership change', async () => {
    h = await startHookCluster();
    const text = hooksToml(`
[[hooks.handlers]]
name = "click"
pattern = "clicks.*"
type = "in_process"
handler_id = "click"
`);
    await writeFile(
      join(h.workspace, 'handlers', 'click.mjs'),
      'export default () => {};\n',
    );
    await h.configure(text);

    // the followers take the entry, but their acks never reach the leader,
    // so it cannot commit it; the next leader commits it in its own term
    const cluster = h.cluster;
    const old = await h.leader();
    const followers = cluster.nodeIds().filter((id) => id !== old);
    followers.forEach((id) => cluster.cut(id, old));
    const target = cluster.host(old)!.status().lastIndex + 1;
    const data = encodeCommand({
      v: 1,
      time: Date.now(),
      random: 0,
      cmd: { t: 'publish', topic: 'clicks.made', payload: { n: 0 } },
    });
    const orphan = cluster
      .host(old)!
      .propose(data)
      .catch(() => undefined);
    await waitFor(
      () =>
        followers.every((id) => cluster.host(id)!.status().lastIndex >= target),
      { what: 'the followers to take the entry' },
    );
    await cluster.kill(old);
    cluster.heal();
    await orphan;

    const all = await waitFor(
      async () => {
        const events = await h!.leaderEvents();
        return events.some((e) => e.topic === 'clicks.made')
          ? events
          : undefined;
      },
      { timeoutMs: scaled(10_000), what: 'the entry to commit' },
    );
    const ledger = new DirectLedger();
    h.events.forEach((event) => ledger.record(event));
    const clicks = all.filter((e) => e.topic === 'clicks.made');
    const elections = all
      .filter((e) => e.topic === CLUSTER_TOPICS.leader)
      .map((e) => e.id.index);
    const fates = ledger.settle(clicks, () => ['click'], elections);
    expect(fates).toEqual([
      {
        eventId: clicks[0]!.id,
        hook: 'click',
        fate: 'lost',
        reason: 'leadership_change',
      },
    ]);
  });
  it('cuts a direct-mode loop at max_depth and lists the hook with its metrics', async () => {
    h = await startHookCluster();
    const file = join(h.workspace, 'loop-seen.log');
    await writeFile(
      join(h.workspace, 'handlers', 'echo.mjs'),
      recorder(file, 0),
    );
    await h.configure(
      hooksToml(`
[[hooks.handlers]]
name = "echo"
pattern = "loops.*"
type = "in_process"
handler_id = "echo"

[studio]
max_depth = 8
`),
    );
    await h.propose({
      t: 'publish',
      topic: 'loops.x',
      payload: { n: 7 },
      depth: 7,
    });
    await h.propose({
      t: 'publish',
      topic: 'loops.x',
      payload: { n: 8 },
      depth: 8,
    });

    const cluster = h;
    const cut = await waitFor(
      () => cluster.events.find((e) => e.type === 'loop-cut'),
      { what: 'a loop cut' },
    );
    expect(cut).toMatchObject({
      mode: 'direct',
      hooks: ['echo'],
      depth: 8,
      maxDepth: 8,
    });
    const dispatcher = h.dispatchers.get(await h.leader())!;
    const echo = await waitFor(
      () =>
        dispatcher
          .hooks()
          .find((x) => x.name === 'echo' && x.metrics.succeeded === 1),
      { what: 'the depth-7 event to run' },
    );
    expect(await lines(file)).toEqual([7]);
    expect(echo).toMatchObject({
      isConfigured: true,
      mode: 'direct',
      handlerType: 'in_process',
      pattern: 'loops.*',
      metrics: { matched: 2, succeeded: 1, loopCut: 1 },
    });
  });
});
