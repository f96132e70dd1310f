// @vitest-environment node
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { MetricsRegistry } from '../../../../engine/hooks/dispatch/attempts';
import {
  DIRECT_SLOTS,
  DirectDispatch,
} from '../../../../engine/hooks/dispatch/direct-dispatch';
import {
  compileDispatchConfig,
  type PlannedHook,
} from '../../../../engine/hooks/dispatch/dispatch-config';
import type { DispatchEvent } from '../../../../engine/hooks/dispatch/dispatch-events';
import { HandlerRunner } from '../../../../engine/hooks/dispatch/handler-runner';
import { systemClock } from '../../../../engine/ports/clock';
import type { StateEvent } from '../../../../engine/state/module';
import { waitFor } from '../../../support/wait-for';

// never settles: the attempt holds its slot until the runner closes
const HANG = 'export default () => new Promise(() => {});\n';
const QUICK = 'export default (event) => event.payload;\n';

function hookOf(text: string): PlannedHook {
  const config = compileDispatchConfig({ version: 1, text, index: 1 });
  expect(config.problem).toBeUndefined();
  return config.hooks[0]!;
}

function handlerToml(id: string, extra = ''): string {
  return `[[hooks.handlers]]
name = "${id}"
pattern = "clicks.>"
type = "in_process"
handler_id = "${id}"
${extra}`;
}

let seq = 0;
function eventOf(topic: string): StateEvent {
  seq += 1;
  return {
    id: { index: seq, offset: 0 },
    topic,
    time: 0,
    payload: { seq },
    depth: 0,
  };
}

describe('DirectDispatch', () => {
  let workspace: string;
  let runner: HandlerRunner;
  let direct: DirectDispatch;
  let metrics: MetricsRegistry;
  let events: DispatchEvent[];

  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), 'aspen-direct-'));
    await mkdir(join(workspace, 'handlers'));
    await writeFile(join(workspace, 'handlers', 'hang.mjs'), HANG);
    await writeFile(join(workspace, 'handlers', 'quick.mjs'), QUICK);
    runner = new HandlerRunner({ workspaceDir: workspace, poolSize: 1 });
    metrics = new MetricsRegistry();
    events = [];
    direct = new DirectDispatch({
      node: 1,
      origin: 'test',
      runner,
      clock: systemClock,
      metrics,
      clusterNow: () => Date.now(),
      emit: (event) => events.push(event),
    });
  });

  afterEach(async () => {
    direct.stop();
    await runner.close();
    await rm(workspace, { recursive: true, force: true });
  });

  describe('deliver()', () => {
    it('drops the 33rd concurrent delivery as saturated, as production does', async () => {
      const hook = hookOf(handlerToml('hang'));
      for (let i = 0; i < DIRECT_SLOTS + 1; i++) {
        direct.deliver({ hook, event: eventOf('clicks.a'), term: 1, env: {} });
      }

      expect(direct.inFlight).toBe(DIRECT_SLOTS);
      const drops = events.filter((e) => e.type === 'dropped');
      expect(drops).toEqual([
        expect.objectContaining({ reason: 'saturated', hook: 'hang' }),
      ]);
      expect(metrics.of('hang').snapshot().dropped).toEqual({ saturated: 1 });
      const started = events.filter((e) => e.type === 'attempt-started');
      expect(started).toHaveLength(DIRECT_SLOTS);

      // closing the runner ends every attempt, which frees every slot
      direct.stop();
      await runner.close();
      await waitFor(() => direct.inFlight === 0, { what: 'slots freed' });
    });

    it('waits for tokens, queues up to the bound and drops the overflow as queue_full', async () => {
      const rate = 'studio_rate_limit = { per_second = 20, burst = 2 }\n';
      const hook = hookOf(
        handlerToml('quick', `${rate}studio_queue_bound = 2\n`),
      );
      for (let i = 0; i < 5; i++) {
        direct.deliver({ hook, event: eventOf('clicks.a'), term: 1, env: {} });
      }

      // two tokens start two at once; two wait; the fifth finds the queue full
      expect(direct.inFlight).toBe(2);
      expect(metrics.of('quick').snapshot().dropped).toEqual({ queue_full: 1 });

      await waitFor(() => metrics.of('quick').succeeded === 4, {
        what: 'the queued deliveries to run',
      });
      const finished = events.filter((e) => e.type === 'attempt-finished');
      expect(
        finished.map((e) => e.type === 'attempt-finished' && e.status),
      ).toEqual(['succeeded', 'succeeded', 'succeeded', 'succeeded']);
    });

    it('drops a repeat of the same topic and payload inside the dedup window', async () => {
      const hook = hookOf(
        handlerToml('quick', 'studio_dedup_window_ms = 60000\n'),
      );
      const event = eventOf('clicks.a');
      direct.deliver({ hook, event, term: 1, env: {} });
      direct.deliver({
        hook,
        event: { ...event, id: { index: 999, offset: 0 } },
        term: 1,
        env: {},
      });
      direct.deliver({ hook, event: eventOf('clicks.a'), term: 1, env: {} });

      expect(metrics.of('quick').snapshot().dropped).toEqual({ duplicate: 1 });
      await waitFor(() => metrics.of('quick').succeeded === 2, {
        what: 'both distinct deliveries',
      });
    });
  });

  describe('stop()', () => {
    it('drops what waits in a queue as stopped', () => {
      const rate = 'studio_rate_limit = { per_second = 0.001, burst = 1 }\n';
      const hook = hookOf(handlerToml('hang', rate));
      for (let i = 0; i < 3; i++) {
        direct.deliver({ hook, event: eventOf('clicks.a'), term: 1, env: {} });
      }
      direct.stop();
      expect(metrics.of('hang').snapshot().dropped).toEqual({ stopped: 2 });
    });
  });
});
