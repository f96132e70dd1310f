import type { Transport } from '../ports/transport';
import type { Message, NodeId } from '../raft/types';

/** Frames a {@link FrameHold} keeps at most before it drops the oldest. */
export const DEFAULT_MAX_HELD_FRAMES = 10_000;

/** A held message, as the time bar shows it. */
export interface HeldFrameInfo {
  /** The sender. */
  from: NodeId;
  /** The receiver, where the frame waits. */
  to: NodeId;
  /** The Raft message type (`app`, `heartbeat`, `vote`…). */
  type: Message['type'];
  /** The sender's term. */
  term: number;
}

interface Held {
  message: Message;
  deliver: () => void;
}

/**
 * Holds Raft messages at their receiver while the cluster is paused, and
 * lets them go one at a time (a step) or all at once (a resume), oldest
 * first, across every node.
 *
 * Frames are held on arrival rather than at send: then no node handles a
 * message while paused, whether it was sent before the pause, was still in
 * a link delay or is an answer to a stepped one. A node that died while
 * its frames waited never sees them (its transport is closed).
 *
 * Loss is what Raft tolerates, so a hold past its bound drops the oldest
 * frame rather than grow without end.
 */
export class FrameHold {
  private queue: (Held | undefined)[] = [];
  private head = 0;
  private holding = false;
  private droppedFrames = 0;

  constructor(private readonly maxFrames = DEFAULT_MAX_HELD_FRAMES) {}

  /** True while arriving frames are kept. */
  get isHolding(): boolean {
    return this.holding;
  }

  /** Frames waiting. */
  get size(): number {
    return this.queue.length - this.head;
  }

  /** Frames dropped because the hold was full. */
  get dropped(): number {
    return this.droppedFrames;
  }

  /** Starts keeping every frame that arrives. */
  hold(): void {
    this.holding = true;
  }

  /** Stops holding and delivers every held frame, oldest first. */
  releaseAll(): number {
    this.holding = false;
    const waiting = this.take();
    for (const held of waiting) {
      held.deliver();
    }
    return waiting.length;
  }

  /** Delivers the oldest held frame, if any; holding goes on. */
  releaseOne(): HeldFrameInfo | undefined {
    const held = this.shift();
    if (held === undefined) {
      return undefined;
    }
    held.deliver();
    return describe(held.message);
  }

  /** The held frames, oldest first, as the time bar lists them. */
  list(limit = Infinity): HeldFrameInfo[] {
    const out: HeldFrameInfo[] = [];
    for (let i = this.head; i < this.queue.length && out.length < limit; i++) {
      out.push(describe(this.queue[i]!.message));
    }
    return out;
  }

  /** Forgets every held frame without delivering it. */
  clear(): void {
    this.take();
  }

  /**
   * `transport` with its deliveries passing through this hold. Sending is
   * untouched; closing the result closes `transport`.
   */
  wrap(transport: Transport): Transport {
    let isClosed = false;
    return {
      send: (messages) => transport.send(messages),
      onMessage: (handler) =>
        transport.onMessage((message) => {
          this.admit(message, () => {
            if (!isClosed) {
              handler(message);
            }
          });
        }),
      close: () => {
        isClosed = true;
        return transport.close();
      },
    };
  }

  private admit(message: Message, deliver: () => void): void {
    if (!this.holding) {
      deliver();
      return;
    }
    this.queue.push({ message, deliver });
    if (this.size > this.maxFrames) {
      this.shift();
      this.droppedFrames += 1;
    }
  }

  private shift(): Held | undefined {
    if (this.head >= this.queue.length) {
      return undefined;
    }
    const held = this.queue[this.head];
    this.queue[this.head] = undefined;
    this.head += 1;
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return held;
  }

  private take(): Held[] {
    const waiting = this.queue.slice(this.head) as Held[];
    this.queue = [];
    this.head = 0;
    return waiting;
  }
}

function describe(message: Message): HeldFrameInfo {
  const { from, to, type, term } = message;
  return { from, to, type, term };
}
