import type { TimelineEvent } from '../../../preload/contract';

import type { HookPattern } from './config-hooks';

/** Quotes a word for sh. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** What a reproducing command is built from. */
export interface ReproInput {
  hook: HookPattern;
  event: TimelineEvent;
  node: number;
  workspaceDir: string;
  /** `[studio.env]` of the config. */
  env: Record<string, string>;
}

/**
 * A shell command that runs the attempt again as the studio ran it: the
 * hook's command under `sh -c` in its working directory, with only the
 * variables the studio passes (PATH, HOME, LANG, TMPDIR, `[studio.env]`
 * and the ASPEN_HOOK_* trio) and stdin from /dev/null. The event JSON
 * is rebuilt from the timeline's copy of the event.
 */
export function reproCommand(input: ReproInput): string | undefined {
  const { hook, event, node, workspaceDir, env } = input;
  if (hook.command === undefined) {
    return undefined;
  }
  const isHookTopic = event.topic.startsWith('hooks.');
  const displayType = isHookTopic
    ? event.topic.slice('hooks.'.length)
    : event.topic;
  const eventType = isHookTopic
    ? (displayType.split('.').pop() ?? displayType)
    : event.topic;
  const logIndex = Number(event.id.split('.')[0]);
  const hookEvent = {
    event_type: eventType,
    log_index: logIndex,
    node_id: node,
    payload: event.payload,
  };
  const dir =
    hook.workingDir === undefined
      ? workspaceDir
      : hook.workingDir.startsWith('/')
        ? hook.workingDir
        : `${workspaceDir}/${hook.workingDir}`;
  const vars = [
    'PATH="$PATH"',
    'HOME="$HOME"',
    'LANG="${LANG:-C.UTF-8}"',
    'TMPDIR="${TMPDIR:-/tmp}"',
    ...Object.entries(env).map(
      ([name, value]) => `${name}=${shellQuote(value)}`,
    ),
    `ASPEN_HOOK_TOPIC=${shellQuote(event.topic)}`,
    `ASPEN_HOOK_EVENT_TYPE=${shellQuote(displayType)}`,
    `ASPEN_HOOK_EVENT=${shellQuote(JSON.stringify(hookEvent))}`,
  ];
  return `cd ${shellQuote(dir)} && env -i ${vars.join(' ')} sh -c ${shellQuote(hook.command)} </dev/null`;
}
