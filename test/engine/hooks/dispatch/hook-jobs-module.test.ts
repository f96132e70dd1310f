// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { compileDispatchConfig } from '../../../../engine/hooks/dispatch/dispatch-config';
import type { HookJobPayload } from '../../../../engine/hooks/dispatch/hook-job-spec';
import {
  DROPPED_TOPIC,
  LOOP_CUT_TOPIC,
} from '../../../../engine/hooks/dispatch/hook-jobs-module';

import {
  CONFIG,
  LIMITED,
  machineWith,
  publish,
  startLog,
} from './hook-configs';

describe('HookJobsModule', () => {
  it('compiles the test config without problems', () => {
    const config = compileDispatchConfig({
      version: 1,
      text: CONFIG,
      index: 2,
    });
    expect(config.problem).toBeUndefined();
    expect(config.hooks.map((hook) => hook.name)).toEqual([
      'audit',
      'ship',
      'echo',
      'off',
    ]);
  });

  describe('observe()', () => {
    it('creates one job per enabled job-mode hook when a matching event applies', () => {
      const log = startLog(CONFIG);
      const entry = log.cmd(publish('orders.created', { id: 7 }));
      const { hookJobs } = machineWith(log);

      const view = hookJobs.jobs.view();
      expect(view.counts).toEqual({ pending: 2 });
      const audit = hookJobs.jobs.job('job-1')!;
      const ship = hookJobs.jobs.job('job-2')!;
      const eventId = { index: entry.index, offset: 0 };
      expect(audit).toMatchObject({
        queue: 'hook:audit',
        priority: 'normal',
        maxAttempts: 1,
        timeoutMs: 5000,
        graceMs: 0,
        origin: { eventId, hook: 'audit' },
        backoff: {
          initialMs: 100,
          multiplier: 2,
          maxMs: 10_000,
          jitter: false,
        },
      });
      expect(ship).toMatchObject({
        queue: 'hook:ship',
        priority: 'critical',
        maxAttempts: 4,
        timeoutMs: 2000,
        graceMs: 500,
        backoff: { jitter: true },
      });
      const payload = ship.payload as HookJobPayload;
      expect(payload).toEqual({
        eventId,
        hook: 'ship',
        handler: {
          type: 'shell',
          command: './ship.sh',
          workingDir: 'bin',
          name: 'ship',
          pattern: 'orders.created',
          timeoutMs: 2000,
          graceMs: 500,
          configVersion: 1,
        },
      });
      expect(hookJobs.openJobs('ship')).toBe(1);
    });

    it('creates no job for an event that matches no job-mode hook', () => {
      const log = startLog(CONFIG);
      log.cmd(publish('orders.shipped.late', {}));
      log.cmd(publish('payments.created', {}));
      const { hookJobs } = machineWith(log);
      expect(hookJobs.jobs.view().counts).toEqual({});
    });

    it('keeps the handler a job was created with when the config changes', () => {
      const log = startLog(CONFIG);
      log.cmd(publish('orders.created', {}));
      log.cmd({
        t: 'hooks.config',
        version: 2,
        text: CONFIG.replace('./ship.sh', './ship-v2.sh'),
      });
      log.cmd(publish('orders.created', {}));
      const { hookJobs } = machineWith(log);
      const handlerOf = (id: string) =>
        (hookJobs.jobs.job(id)!.payload as HookJobPayload).handler;
      expect(handlerOf('job-2')).toMatchObject({
        command: './ship.sh',
        configVersion: 1,
      });
      expect(handlerOf('job-4')).toMatchObject({
        command: './ship-v2.sh',
        configVersion: 2,
      });
    });

    it('cuts the loop at max_depth and records a visible loop cut', () => {
      const log = startLog(CONFIG);
      log.cmd(publish('orders.created', {}, 2));
      const cut = log.cmd(publish('orders.created', {}, 3));
      const { hookJobs, applied } = machineWith(log);

      expect(hookJobs.jobs.view().counts).toEqual({ pending: 2 });
      const events = applied.find((a) => a.index === cut.index)!.events;
      const loopCut = events.find((e) => e.topic === LOOP_CUT_TOPIC)!;
      expect(loopCut.payload).toEqual({
        event: { index: cut.index, offset: 0 },
        depth: 3,
        maxDepth: 3,
        hooks: ['audit', 'ship'],
        mode: 'job',
      });
      expect(loopCut.causation).toEqual({ index: cut.index, offset: 0 });
    });

    it('drops a repeat inside the dedup window and overflow past the queue bound', () => {
      const log = startLog(LIMITED);
      log.time = 10_000;
      log.cmd(publish('clicks.a', { n: 1 }));
      log.cmd(publish('clicks.a', { n: 1 }), { time: 10_500 });
      log.cmd(publish('clicks.b', { n: 2 }), { time: 10_600 });
      log.cmd(publish('clicks.c', { n: 3 }), { time: 10_700 });
      log.cmd(publish('clicks.a', { n: 1 }), { time: 11_100 });
      const { hookJobs, applied } = machineWith(log);

      const drops = applied
        .flatMap((a) => a.events)
        .filter((e) => e.topic === DROPPED_TOPIC)
        .map((e) => (e.payload as { reason: string }).reason);
      expect(drops).toEqual(['duplicate', 'queue_full', 'queue_full']);
      expect(hookJobs.openJobs('limited')).toBe(2);
    });

    it('frees a queue slot when a job completes', () => {
      const log = startLog(LIMITED);
      log.cmd(publish('clicks.a', { n: 1 }));
      log.cmd(publish('clicks.b', { n: 2 }));
      log.cmd({
        t: 'jobs',
        cmd: { type: 'lease', worker: 'w', max: 1 },
      });
      log.cmd({
        t: 'jobs',
        cmd: { type: 'ack', job: 'job-1', attempt: 1, term: log.term },
      });
      log.cmd(publish('clicks.c', { n: 3 }));
      const { hookJobs } = machineWith(log);
      expect(hookJobs.jobs.job('job-3')?.state).toBe('pending');
      expect(hookJobs.openJobs('limited')).toBe(2);
    });

    it('makes no jobs under fidelity "production", as production never submits them', () => {
      const log = startLog(
        `${CONFIG.replace('max_depth = 3', '')}fidelity = "production"\n`,
      );
      log.cmd(publish('orders.created', {}));
      const { hookJobs } = machineWith(log);
      expect(hookJobs.jobs.view().counts).toEqual({});
    });
  });

  describe('apply()', () => {
    it('applies a batch of job commands in order, each with its own result', () => {
      const log = startLog(LIMITED);
      log.cmd(publish('clicks.a', { n: 1 }));
      log.cmd({ t: 'jobs', cmd: { type: 'lease', worker: 'w', max: 1 } });
      const ref = { job: 'job-1', attempt: 1, term: log.term };
      const batch = log.cmd({
        t: 'jobs',
        cmd: {
          type: 'batch',
          commands: [
            { type: 'heartbeat', ...ref },
            { type: 'ack', ...ref },
            { type: 'ack', ...ref },
          ],
        },
      });
      const { hookJobs, applied } = machineWith(log);
      const result = applied.find((a) => a.index === batch.index)!.result;
      expect(result).toMatchObject({
        ok: true,
        results: [
          { ok: true },
          { ok: true, state: 'completed' },
          { ok: false, error: { code: 'FENCED' } },
        ],
      });
      expect(hookJobs.jobs.job('job-1')?.state).toBe('completed');
    });

    it('refuses a malformed batch whole, before any of it runs', () => {
      const log = startLog(LIMITED);
      log.cmd(publish('clicks.a', { n: 1 }));
      const batch = log.cmd({
        t: 'jobs',
        cmd: {
          type: 'batch',
          commands: [{ type: 'lease', worker: 'w', max: 1 }, null],
        },
      });
      const { hookJobs, applied } = machineWith(log);
      const result = applied.find((a) => a.index === batch.index)!.result;
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'INVALID_ARGUMENT' },
      });
      expect(hookJobs.jobs.job('job-1')?.state).toBe('pending');
    });
  });
});
