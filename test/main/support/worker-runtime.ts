import { join } from 'node:path';

import { WorkerPool } from '../../../engine/hooks/in-process/worker-pool';
import type {
  HookNode,
  HookRuntime,
  HookRuntimeContext,
  HookRuntimeFactory,
} from '../../../main/studio/hook-runtime';

/** What the worker runtimes of one service did. */
export interface WorkerRuntimeLog {
  /** `reloadHandlers()` calls. */
  reloads: number;
  /** Values the handler returned, in order. */
  values: unknown[];
}

/**
 * A minimal real hooks runtime for the handler-reload path: on the
 * leader, every applied event on `topic` runs the workspace module
 * `handlers/<id>.mjs` in a real worker pool, and `reloadHandlers()`
 * replaces the pool's workers. It tests the watcher and the seam, not
 * dispatch.
 */
export function workerRuntime(
  topic: string,
  id: string,
  log: WorkerRuntimeLog,
): HookRuntimeFactory {
  return (context) => new WorkerRuntime(context, topic, id, log);
}

class WorkerRuntime implements HookRuntime {
  readonly isDispatching = true;
  private pool?: WorkerPool;
  private undo?: () => void;

  constructor(
    private readonly context: HookRuntimeContext,
    private readonly topic: string,
    private readonly id: string,
    private readonly log: WorkerRuntimeLog,
  ) {}

  start(node: HookNode): void {
    const modulePath = join(this.context.workspaceDir, 'handlers', this.id);
    this.pool = new WorkerPool({ modulePath: `${modulePath}.mjs`, size: 1 });
    this.undo = node.machine.onApplied(({ events }) => {
      if (node.host.status().role !== 'leader') {
        return;
      }
      for (const event of events.filter((e) => e.topic === this.topic)) {
        void this.pool?.run(event.payload).then((outcome) => {
          if (outcome.status === 'succeeded') {
            this.log.values.push(outcome.value);
          }
        });
      }
    });
  }

  async reloadHandlers(): Promise<void> {
    this.log.reloads += 1;
    await this.pool?.reload();
  }

  async stop(): Promise<void> {
    this.undo?.();
    await this.pool?.close();
  }

  metrics() {
    return {};
  }
}
