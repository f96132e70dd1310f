import { runShell } from '../../../engine/hooks/shell/shell-runner';
import { formatEventId } from '../../../engine/state/event-id';
import type {
  HookNode,
  HookRuntime,
  HookRuntimeContext,
  HookRuntimeFactory,
} from '../../../main/studio/hook-runtime';

/** What the shell runtimes of one service did, for the test to read. */
export interface ShellRuntimeLog {
  /** Runtimes the factory made. */
  made: number;
  /** Commands that finished, by event id. */
  finished: string[];
}

/**
 * A minimal real hooks runtime, standing in for the dispatcher in tests of
 * the seam: on the leader, every applied event on `topic` runs `command`
 * through the real shell runner (`sh -c`, its own process group), with
 * the event's id in `ASPEN_HOOK_EVENT_ID`. It tests the trust gate, not
 * dispatch.
 */
export function shellRuntime(
  topic: string,
  command: string,
  log: ShellRuntimeLog,
): HookRuntimeFactory {
  return (context) => {
    log.made += 1;
    return new ShellRuntime(context, topic, command, log);
  };
}

class ShellRuntime implements HookRuntime {
  readonly isDispatching = true;
  private readonly abort = new AbortController();
  private readonly running = new Set<Promise<unknown>>();
  private undo?: () => void;

  constructor(
    private readonly context: HookRuntimeContext,
    private readonly topic: string,
    private readonly command: string,
    private readonly log: ShellRuntimeLog,
  ) {}

  start(node: HookNode): void {
    this.undo = node.machine.onApplied(({ events }) => {
      if (node.host.status().role !== 'leader') {
        return;
      }
      for (const event of events.filter((e) => e.topic === this.topic)) {
        this.run(formatEventId(event.id));
      }
    });
  }

  async stop(): Promise<void> {
    this.undo?.();
    this.abort.abort();
    await Promise.all(this.running);
  }

  metrics() {
    return {};
  }

  private run(eventId: string): void {
    const done = runShell({
      command: this.command,
      cwd: this.context.workspaceDir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ASPEN_HOOK_EVENT_ID: eventId,
      },
      timeoutMs: 10_000,
      graceMs: 100,
      signal: this.abort.signal,
    }).then(() => {
      this.log.finished.push(eventId);
      this.running.delete(done);
    });
    this.running.add(done);
  }
}
