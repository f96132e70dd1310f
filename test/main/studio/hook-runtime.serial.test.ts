// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';

import { createRouter } from '../../../main/server/router';
import type {
  HookNode,
  HookRuntime,
  HookRuntimeContext,
} from '../../../main/studio/hook-runtime';
import { studioHandlers } from '../../../main/studio/studio-handlers';
import type { TerminalOutput } from '../../../preload/contract';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';
import { openStudio, type StudioFixture } from '../support/studio-fixture';

/**
 * A runtime that dispatches nothing but does what the seam promises a
 * dispatcher: it records its lifecycle, counts the events its node
 * applies as "matched" for the hook `audit`, and writes one terminal line
 * when it starts.
 */
class RecordingRuntime implements HookRuntime {
  readonly isDispatching = true;
  node?: HookNode;
  matched = 0;
  private undo?: () => void;

  constructor(
    private readonly context: HookRuntimeContext,
    private readonly log: string[],
  ) {}

  start(node: HookNode): void {
    this.node = node;
    this.log.push(`start ${node.id}`);
    this.undo = node.machine.onApplied(({ events }) => {
      this.matched += events.length;
    });
    this.context.terminal({
      node: node.id,
      hook: 'audit',
      eventId: '0.0',
      attempt: 0,
      stream: 'meta',
      text: `runtime on node ${node.id}\n`,
    });
  }

  async stop(): Promise<void> {
    this.undo?.();
    this.log.push(`stop ${this.node?.id}`);
  }

  metrics() {
    const none = { dropped: {}, deadLettered: 0, loopCut: 0 };
    return {
      audit: {
        ...none,
        matched: this.matched,
        succeeded: 0,
        failed: 0,
        retried: 0,
        latencyP50Ms: null,
        latencyP99Ms: null,
      },
    };
  }
}

describe('HookRuntime seam', () => {
  let fixture: StudioFixture | undefined;

  afterEach(() => fixture?.cleanup());

  it('starts a runtime per node incarnation and stops it on kill and close', async () => {
    const log: string[] = [];
    fixture = await openStudio({
      hookRuntime: (context) => new RecordingRuntime(context, log),
    });
    const { service } = fixture;
    const terminal: TerminalOutput[] = [];
    service.onPush((channel, payload) => {
      if (channel === 'terminal:output') {
        terminal.push(payload as TerminalOutput);
      }
    });
    await waitFor(() => log.length === 3, { what: 'three runtimes' });
    expect([...log].sort()).toEqual(['start 1', 'start 2', 'start 3']);

    await service.cluster.kill(2);
    await waitFor(() => log.includes('stop 2'), {
      what: 'node 2 runtime to stop',
    });
    await service.cluster.restart(2);
    await waitFor(() => log.filter((l) => l === 'start 2').length === 2, {
      what: 'a new runtime on node 2',
    });

    const router = createRouter(
      studioHandlers(service, { carrier: 'browser', version: '0' }),
    );
    await router('config:apply', {
      text: '[[hooks.handlers]]\nname = "audit"\npattern = "a.*"\ntype = "shell"\ncommand = "true"\n',
    });
    const list = await waitFor(
      async () => {
        const result = await router('hooks:list', {});
        const value = result.ok
          ? (result.value as { hooks: { metrics: { matched: number } }[] })
          : undefined;
        return (value?.hooks[0]?.metrics.matched ?? 0) >= 3 ? value : undefined;
      },
      { timeoutMs: scaled(5_000), what: 'metrics from every node' },
    );
    expect(list).toMatchObject({ isDispatching: true });

    // the restarted node's runtime wrote after we subscribed
    await waitFor(
      () =>
        terminal
          .flatMap((t) => t.chunks)
          .some((c) => c.text === 'runtime on node 2\n'),
      { what: 'the terminal line of the new runtime' },
    );
    await fixture.cleanup();
    fixture = undefined;
    expect(log.filter((l) => l.startsWith('stop'))).toHaveLength(4);
  });
});
