import type { Command } from '../../../../engine/state/commands';
import { createHookStateMachine } from '../../../../engine/hooks/dispatch/hook-machine';
import type { AppliedEntry } from '../../../../engine/state/machine';
import { LogBuilder } from '../../state/log-builder';

// configs and log helpers the hook jobs module tests share

export const CONFIG = `
[hooks]
enabled = true

[[hooks.handlers]]
name = "audit"
pattern = "orders.*"
type = "in_process"
handler_id = "audit"
execution_mode = "job"
retry_count = 0
job_priority = "urgent"

[[hooks.handlers]]
name = "ship"
pattern = "orders.created"
type = "shell"
command = "./ship.sh"
working_dir = "bin"
execution_mode = "job"
retry_count = 4
job_priority = "critical"
timeout_ms = 2000
studio_grace_ms = 500
studio_jitter = true

[[hooks.handlers]]
name = "echo"
pattern = "orders.*"
type = "shell"
command = "echo"

[[hooks.handlers]]
name = "off"
pattern = "orders.*"
type = "shell"
command = "true"
execution_mode = "job"
enabled = false

[studio]
max_depth = 3
`;

export const LIMITED = `
[[hooks.handlers]]
name = "limited"
pattern = "clicks.>"
type = "in_process"
handler_id = "clicks"
execution_mode = "job"
studio_dedup_window_ms = 1000
studio_queue_bound = 2
`;

export function publish(
  topic: string,
  payload: unknown,
  depth?: number,
): Command {
  return {
    t: 'publish',
    topic,
    payload,
    ...(depth === undefined ? {} : { depth }),
  };
}

export function machineWith(log: LogBuilder) {
  const built = createHookStateMachine({
    initialConf: { voters: [1], learners: [] },
  });
  const applied: AppliedEntry[] = [];
  built.machine.onApplied((entry) => applied.push(entry));
  log.entries.forEach((entry) => built.machine.apply(entry));
  return { ...built, applied };
}

export function startLog(text: string): LogBuilder {
  const log = new LogBuilder();
  log.leader(1);
  log.cmd({ t: 'hooks.config', version: 1, text });
  return log;
}
