/**
 * The bound on what one forwarder may hold in memory: 8 MiB, the Go NATS
 * client's default `ReconnectBufSize`. nats.js has no such option: while
 * disconnected its outbound buffer grows without limit, and it throws the
 * buffer away when it redials, so whatever was published meanwhile is lost
 * without an error. The forwarder therefore never publishes on a
 * disconnected client and keeps this buffer itself.
 */
export const DEFAULT_RECONNECT_BUFFER_BYTES = 8 * 1024 * 1024;

/** What the buffer needs to know of a held forward. */
export interface Sized {
  /** Payload plus header bytes. */
  readonly bytes: number;
}

/**
 * Byte accounting for one forwarder: forwards waiting for a connection,
 * plus publishes the client has taken whose round trip has not come back.
 * Their sum never exceeds the limit; a forward that would pass it is
 * turned away and counted.
 *
 * A sent message stays counted after its forward gave up on it, because it
 * still sits in the client's buffer or the socket's. It is released when a
 * later message's confirmation arrives (the server reads a connection in
 * order) or when the client redials and drops its buffer.
 */
export class ReconnectBuffer<T extends Sized> {
  private readonly waiters = new Set<T>();
  private readonly sent = new Map<number, number>();
  private waitingBytes = 0;
  private sentBytes = 0;
  private nextTicket = 1;
  private rejectedCount = 0;
  private abandonedCount = 0;

  constructor(readonly limitBytes: number = DEFAULT_RECONNECT_BUFFER_BYTES) {}

  /** Bytes waiting plus bytes sent and unconfirmed. */
  get bytes(): number {
    return this.waitingBytes + this.sentBytes;
  }

  /** Forwards waiting for a connection. */
  get waiting(): number {
    return this.waiters.size;
  }

  /** Forwards turned away for lack of room. */
  get rejected(): number {
    return this.rejectedCount;
  }

  /** Sent messages whose forward gave up waiting for confirmation. */
  get abandoned(): number {
    return this.abandonedCount;
  }

  /**
   * Whether `bytes` more fit; counts a rejection when they do not.
   *
   * @param bytes - Size of the forward that wants room.
   */
  admit(bytes: number): boolean {
    if (this.bytes + bytes <= this.limitBytes) {
      return true;
    }
    this.rejectedCount += 1;
    return false;
  }

  /** Holds an admitted forward until {@link ReconnectBuffer.release}. */
  hold(waiter: T): void {
    this.waiters.add(waiter);
    this.waitingBytes += waiter.bytes;
  }

  /**
   * Stops holding a forward (it expired or was failed).
   *
   * @returns Whether it was still held.
   */
  drop(waiter: T): boolean {
    if (!this.waiters.delete(waiter)) {
      return false;
    }
    this.waitingBytes -= waiter.bytes;
    return true;
  }

  /** Takes every held forward, oldest first. */
  takeAll(): T[] {
    const all = [...this.waiters];
    this.waiters.clear();
    this.waitingBytes = 0;
    return all;
  }

  /**
   * Counts a message the client has taken.
   *
   * @returns A ticket for {@link ReconnectBuffer.confirm}.
   */
  send(bytes: number): number {
    const ticket = this.nextTicket++;
    this.sent.set(ticket, bytes);
    this.sentBytes += bytes;
    return ticket;
  }

  /** The server has read the message of `ticket`, so all sent before it. */
  confirm(ticket: number): void {
    // tickets increase and a Map iterates in insertion order
    for (const [key, bytes] of this.sent) {
      if (key > ticket) {
        break;
      }
      this.sent.delete(key);
      this.sentBytes -= bytes;
    }
  }

  /**
   * A forward stopped waiting for its confirmation. Its bytes
   * stay counted: the message may still sit in the client or the socket.
   */
  abandon(): void {
    this.abandonedCount += 1;
  }

  /** Stops counting one message that never left (the client threw). */
  unsend(ticket: number): void {
    const bytes = this.sent.get(ticket);
    if (bytes !== undefined) {
      this.sent.delete(ticket);
      this.sentBytes -= bytes;
    }
  }

  /** The client redialled and discarded its outbound buffer. */
  forgetSent(): void {
    this.sent.clear();
    this.sentBytes = 0;
  }
}
