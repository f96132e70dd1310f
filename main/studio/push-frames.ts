import { formatEventId, nextEventId } from '../../engine/state/event-id';
import type { AspenStateMachine } from '../../engine/state/machine';
import type { EventId, StateEvent } from '../../engine/state/module';
import type {
  ClusterStatus,
  PushChannel,
  PushMap,
  TerminalChunk,
  TimelineEvent,
  TimeState,
} from '../../preload/contract';

import { toTimelineEvent } from './timeline';

/** Where pushes go: every connected front end. */
export type PushSink = <C extends PushChannel>(
  channel: C,
  payload: PushMap[C],
) => void;

/** Bounds of {@link PushFrames}. */
export interface PushFrameOptions {
  /** Time between frames (ms). @defaultValue 50 */
  intervalMs?: number;
  /** Most events per `events:batch`. @defaultValue 500 */
  maxEvents?: number;
  /** Payload JSON a feed event carries (bytes). @defaultValue 8192 */
  maxPayloadBytes?: number;
  /** Most JSON bytes of events per frame. @defaultValue 1 MiB */
  maxFrameBytes?: number;
  /** Most terminal chunks per frame. @defaultValue 200 */
  maxChunks?: number;
  /** Terminal chunks waiting before the oldest are dropped. @defaultValue 2000 */
  maxQueuedChunks?: number;
}

/** What the frames read from. */
export interface FrameSources {
  /** The machine to read new events from (the most applied node's). */
  machine(): AspenStateMachine | undefined;
  status(): ClusterStatus;
}

/**
 * Coalesces everything the service pushes into frames, one every ~50 ms,
 * each bounded: the cluster status at most once (and only when it
 * changed), the newest events up to a count and a byte budget (the rest
 * counted as skipped, with where they start, for `events:range`), and
 * terminal output up to a
 * count (chunks dropped while the UI fell behind are counted too). The UI
 * is never sent more than it can draw, and is told when it skipped.
 */
export class PushFrames {
  private cursor?: EventId;
  private isStatusDirty = true;
  private lastStatus = '';
  private chunks: TerminalChunk[] = [];
  private droppedChunks = 0;
  private pendingTime?: TimeState;
  private timer?: NodeJS.Timeout;
  private readonly intervalMs: number;
  private readonly maxEvents: number;
  private readonly maxPayloadBytes: number;
  private readonly maxFrameBytes: number;
  private readonly maxChunks: number;
  private readonly maxQueuedChunks: number;

  constructor(
    private readonly sources: FrameSources,
    private readonly push: PushSink,
    options: PushFrameOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 50;
    this.maxEvents = options.maxEvents ?? 500;
    this.maxPayloadBytes = options.maxPayloadBytes ?? 8192;
    this.maxFrameBytes = options.maxFrameBytes ?? 1 << 20;
    this.maxChunks = options.maxChunks ?? 200;
    this.maxQueuedChunks = options.maxQueuedChunks ?? 2000;
  }

  /** Starts the frame timer. */
  start(): void {
    const tick = () => {
      this.flush();
      this.timer = setTimeout(tick, this.intervalMs);
    };
    this.timer = setTimeout(tick, this.intervalMs);
  }

  /** Stops the frame timer; nothing more is pushed. */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The cluster changed: push its status with the next frame. */
  markStatusDirty(): void {
    this.isStatusDirty = true;
  }

  /** Time control changed: push its latest state with the next frame. */
  time(state: TimeState): void {
    this.pendingTime = state;
  }

  /** Queues terminal output; the oldest goes when the queue is full. */
  terminal(chunk: TerminalChunk): void {
    this.chunks.push(chunk);
    if (this.chunks.length > this.maxQueuedChunks) {
      const extra = this.chunks.length - this.maxQueuedChunks;
      this.chunks.splice(0, extra);
      this.droppedChunks += extra;
    }
  }

  /** Sends one frame now. */
  flush(): void {
    this.flushStatus();
    this.flushTime();
    this.flushEvents();
    this.flushTerminal();
  }

  private flushStatus(): void {
    if (!this.isStatusDirty) {
      return;
    }
    this.isStatusDirty = false;
    const status = this.sources.status();
    const text = JSON.stringify(status);
    if (text !== this.lastStatus) {
      this.lastStatus = text;
      this.push('cluster:status', status);
    }
  }

  private flushTime(): void {
    const state = this.pendingTime;
    if (state !== undefined) {
      this.pendingTime = undefined;
      this.push('time:state', state);
    }
  }

  private flushEvents(): void {
    const machine = this.sources.machine();
    if (machine === undefined) {
      return;
    }
    const from = this.cursor ?? machine.earliestEventId();
    let events: StateEvent[];
    let compactedFrom: EventId | undefined;
    try {
      events = machine.eventsFrom(from);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'COMPACTED') {
        throw error;
      }
      // retention trimmed past the cursor: go on from what is left
      compactedFrom = from;
      events = machine.eventsFrom(machine.earliestEventId());
    }
    const last = events[events.length - 1];
    if (last === undefined) {
      return;
    }

    this.cursor = nextEventId(last.id);
    const sent = this.newest(events);
    const skipped = events.length - sent.length;
    const firstSkipped = compactedFrom ?? (skipped > 0 ? events[0]!.id : null);
    this.push('events:batch', {
      events: sent,
      skipped: skipped + (compactedFrom === undefined ? 0 : 1),
      skippedFrom: firstSkipped === null ? null : formatEventId(firstSkipped),
      next: formatEventId(this.cursor),
    });
  }

  // the newest events that fit the frame's count and byte budgets
  private newest(events: StateEvent[]): TimelineEvent[] {
    const sent: TimelineEvent[] = [];
    let bytes = 0;
    for (let i = events.length - 1; i >= 0; i--) {
      const event = toTimelineEvent(events[i]!, this.maxPayloadBytes);
      bytes += JSON.stringify(event).length;
      const isFull = bytes > this.maxFrameBytes && sent.length > 0;
      if (sent.length === this.maxEvents || isFull) {
        break;
      }
      sent.push(event);
    }
    return sent.reverse();
  }

  private flushTerminal(): void {
    if (this.chunks.length === 0 && this.droppedChunks === 0) {
      return;
    }
    const chunks = this.chunks.splice(0, this.maxChunks);
    this.push('terminal:output', { chunks, skipped: this.droppedChunks });
    this.droppedChunks = 0;
  }
}
