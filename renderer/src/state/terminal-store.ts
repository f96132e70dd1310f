import { createStore } from 'zustand/vanilla';

import type { TerminalChunk, TerminalOutput } from '../../../preload/contract';
import { parseExitLine, type AttemptExit } from '../lib/attempt-meta';

/** One run of a handler for one event, as the terminal shows it. */
export interface Attempt {
  /** `node/hook/event/attempt`. */
  key: string;
  node: number;
  hook: string;
  eventId: string;
  attempt: number;
  /** The service's header line, when it sent one. */
  header: string | null;
  exit: AttemptExit | null;
  /** Local time the first chunk arrived (ms). */
  startedAt: number;
  /** Output kept for copying; bounded per attempt. */
  bytes: number;
}

/** One thing to write to the xterm, in arrival order. */
export type FeedItem =
  | { seq: number; kind: 'start'; attempt: Attempt }
  | {
      seq: number;
      kind: 'out';
      key: string;
      stream: 'stdout' | 'stderr';
      text: string;
    }
  | { seq: number; kind: 'exit'; attempt: Attempt }
  | { seq: number; kind: 'note'; text: string };

// a feed item before it gets its sequence number
type FeedDraft = FeedItem extends infer T
  ? T extends FeedItem
    ? Omit<T, 'seq'>
    : never
  : never;

interface TerminalState {
  attempts: Attempt[];
  /** Bumped on every change to `attempts`. */
  version: number;
  feed: FeedItem[];
  feedSeq: number;
  selectedKey: string | null;
  skipped: number;
  /** The last reproducing command copied, shown for reading. */
  lastCommand: string | null;
  receive(output: TerminalOutput): void;
  select(key: string | null): void;
  clear(): void;
}

const MAX_ATTEMPTS = 2000;
const MAX_FEED = 20_000;
const MAX_ATTEMPT_BYTES = 64 * 1024;

const byKey = new Map<string, Attempt>();
const byEvent = new Map<string, Attempt[]>();

/** The key of the attempt a chunk belongs to. */
export function attemptKey(chunk: {
  node: number;
  hook: string;
  eventId: string;
  attempt: number;
}): string {
  return `${chunk.node}/${chunk.hook}/${chunk.eventId}/${chunk.attempt}`;
}

/** Every attempt seen for an event, oldest first. */
export function attemptsOfEvent(eventId: string): readonly Attempt[] {
  return byEvent.get(eventId) ?? [];
}

/** The attempt with this key, if it is still kept. */
export function attemptByKey(key: string): Attempt | undefined {
  return byKey.get(key);
}

/** Shell output per attempt, fed by `terminal:output` pushes. */
export const terminalStore = createStore<TerminalState>()((set, get) => ({
  attempts: [],
  version: 0,
  feed: [],
  feedSeq: 0,
  selectedKey: null,
  skipped: 0,
  lastCommand: null,
  receive: ({ chunks, skipped }) => {
    const state = get();
    let seq = state.feedSeq;
    const feed = state.feed;
    const attempts = state.attempts;
    const add = (item: FeedDraft) => {
      feed.push({ ...item, seq: ++seq } as FeedItem);
    };
    if (skipped > 0) {
      add({ kind: 'note', text: `… ${skipped} chunks skipped (UI behind)` });
    }
    for (const chunk of chunks) {
      let attempt = byKey.get(attemptKey(chunk));
      if (attempt === undefined) {
        attempt = startAttempt(chunk, attempts);
        add({ kind: 'start', attempt });
        if (chunk.stream === 'meta') {
          continue;
        }
      }
      if (chunk.stream === 'meta') {
        const exit = parseExitLine(chunk.text);
        if (exit !== undefined && attempt.exit === null) {
          exit.durationMs ??= Date.now() - attempt.startedAt;
          attempt.exit = exit;
          add({ kind: 'exit', attempt });
        } else {
          add({ kind: 'note', text: chunk.text });
        }
        continue;
      }
      if (attempt.bytes < MAX_ATTEMPT_BYTES) {
        attempt.bytes += chunk.text.length;
        add({
          kind: 'out',
          key: attempt.key,
          stream: chunk.stream,
          text: chunk.text,
        });
      }
    }
    if (feed.length > MAX_FEED) {
      feed.splice(0, feed.length - MAX_FEED);
    }
    trimAttempts(attempts);
    set({
      feedSeq: seq,
      version: state.version + 1,
      skipped: state.skipped + skipped,
    });
  },
  select: (selectedKey) => set({ selectedKey }),
  clear: () => {
    byKey.clear();
    byEvent.clear();
    set((state) => ({
      attempts: [],
      feed: [],
      version: state.version + 1,
      selectedKey: null,
    }));
  },
}));

function startAttempt(chunk: TerminalChunk, attempts: Attempt[]): Attempt {
  const attempt: Attempt = {
    key: attemptKey(chunk),
    node: chunk.node,
    hook: chunk.hook,
    eventId: chunk.eventId,
    attempt: chunk.attempt,
    header: chunk.stream === 'meta' ? chunk.text : null,
    exit: null,
    startedAt: Date.now(),
    bytes: 0,
  };
  byKey.set(attempt.key, attempt);
  const list = byEvent.get(attempt.eventId) ?? [];
  list.push(attempt);
  byEvent.set(attempt.eventId, list);
  attempts.push(attempt);
  return attempt;
}

function trimAttempts(attempts: Attempt[]): void {
  const extra = attempts.length - MAX_ATTEMPTS;
  if (extra <= 0) {
    return;
  }
  for (const old of attempts.splice(0, extra)) {
    byKey.delete(old.key);
    const list = byEvent.get(old.eventId)?.filter((a) => a !== old) ?? [];
    if (list.length === 0) {
      byEvent.delete(old.eventId);
    } else {
      byEvent.set(old.eventId, list);
    }
  }
}
