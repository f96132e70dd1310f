// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { compileDispatchConfig } from '../../../../engine/hooks/dispatch/dispatch-config';
import type { DispatchEvent } from '../../../../engine/hooks/dispatch/dispatch-events';
import {
  isTimeoutMessage,
  tallyRun,
} from '../../../../engine/hooks/fidelity/fidelity-tally';
import type { StateEvent } from '../../../../engine/state/module';

const HANDLERS = `
[[hooks.handlers]]
name = "audit"
pattern = "hooks.kv.>"
type = "shell"
command = "true"

[[hooks.handlers]]
name = "orders"
pattern = "orders.*"
type = "in_process"
handler_id = "noop"

[[hooks.handlers]]
name = "later"
pattern = "hooks.kv.write_committed"
type = "in_process"
handler_id = "noop"
execution_mode = "job"
`;

function compiled(fidelity: 'studio' | 'production') {
  const text = `[hooks]\n${HANDLERS}\n[studio]\nfidelity = "${fidelity}"\n`;
  return compileDispatchConfig({ version: 1, text, index: 1 });
}

const EVENTS: StateEvent[] = [
  event(3, 'hooks.kv.write_committed'),
  event(4, 'orders.created'),
  event(5, 'hooks.kv.delete_committed'),
];

function event(index: number, topic: string): StateEvent {
  return { id: { index, offset: 0 }, topic, time: 0, payload: {}, depth: 0 };
}

const base = { term: 2, mode: 'direct' as const, attempt: 1, job: null };

function ran(
  node: number,
  hook: string,
  index: number,
  end: { status: 'succeeded' | 'failed' | 'aborted'; message?: string },
): DispatchEvent[] {
  const eventId = { index, offset: 0 };
  return [
    {
      ...base,
      type: 'attempt-started',
      node,
      hook,
      eventId,
      handlerType: 'shell',
      at: 0,
    },
    {
      ...base,
      type: 'attempt-output',
      node,
      hook,
      eventId,
      stream: 'stdout',
      text: 'é',
    },
    {
      ...base,
      type: 'attempt-finished',
      node,
      hook,
      eventId,
      status: end.status,
      exitCode: null,
      message: end.message ?? null,
      durationMs: 1,
      at: 1,
    },
  ];
}

describe('tallyRun()', () => {
  it('counts events, executions and outcomes per hook, and lost studio deliveries', () => {
    const dispatch = [
      ...ran(1, 'audit', 3, { status: 'succeeded' }),
      ...ran(1, 'audit', 5, {
        status: 'failed',
        message: 'timed out (killed by SIGTERM)',
      }),
      ...ran(1, 'later', 3, { status: 'succeeded' }),
    ];
    const [audit, orders, later] = tallyRun({
      config: compiled('studio'),
      events: EVENTS,
      dispatch,
    });
    expect(audit).toMatchObject({
      events: 2,
      topics: ['hooks.kv.delete_committed', 'hooks.kv.write_committed'],
      executions: 2,
      nodesPerEvent: 1,
      maxStdoutBytes: 2,
      outcomes: { succeeded: 1, timedOut: 1, failed: 0 },
    });
    // the studio dispatched orders.created, and no node reported it
    expect(orders).toMatchObject({ events: 1, outcomes: { lost: 1 } });
    expect(later).toMatchObject({ mode: 'job', events: 1, executions: 1 });
  });

  it('leaves user topics out of production runs and counts never-run jobs per node', () => {
    const dispatch: DispatchEvent[] = [1, 2, 3].flatMap((node) => [
      ...ran(node, 'audit', 3, { status: 'succeeded' }),
      ...ran(node, 'audit', 5, { status: 'aborted', message: 'stopped' }),
      {
        type: 'dropped',
        node,
        term: 2,
        hook: 'later',
        mode: 'job',
        eventId: { index: 3, offset: 0 },
        reason: 'never_submitted',
      },
    ]);
    const [audit, orders, later] = tallyRun({
      config: compiled('production'),
      events: EVENTS,
      dispatch,
    });
    expect(audit).toMatchObject({
      executions: 6,
      nodesPerEvent: 3,
      outcomes: { succeeded: 3, unfinished: 3 },
      sharesEventsWith: [],
    });
    expect(orders).toMatchObject({ events: 0, executions: 0 });
    expect(later).toMatchObject({
      executions: 0,
      outcomes: { neverRun: 3, dropped: 0 },
    });
  });
});

describe('isTimeoutMessage()', () => {
  it('knows the shell and in-process timeout messages', () => {
    expect(isTimeoutMessage('timed out (killed by SIGTERM)')).toBe(true);
    expect(isTimeoutMessage('timeout: timed out after 500 ms')).toBe(true);
    expect(isTimeoutMessage('exit 1')).toBe(false);
    expect(isTimeoutMessage(null)).toBe(false);
  });
});
