import { NatsForwarder, type NatsForwarderOptions } from './nats-forwarder';
import type { NatsForwarderStats } from './forward-outcome';
import { AspenError } from '../../util/errors';

/** A forwarder was asked of a registry that has been closed. */
export class ForwardersClosedError extends AspenError {
  constructor() {
    super('FORWARDERS_CLOSED', 'the NATS forwarders are closed');
    this.name = 'ForwardersClosedError';
  }
}

/** Options every forwarder of a {@link NatsForwarders} registry shares. */
export type SharedForwarderOptions = Omit<NatsForwarderOptions, 'url'>;

/**
 * The studio's NATS forwarders, one per server URL, so that every forward
 * handler aiming at one server shares one connection and one bounded
 * buffer. Forwarders are made on first use; nothing connects until a
 * forward runs.
 */
export class NatsForwarders {
  private readonly forwarders = new Map<string, NatsForwarder>();
  private isClosed = false;

  constructor(private readonly options: SharedForwarderOptions = {}) {}

  /**
   * The forwarder for `url` (normalised by parseForwardTarget), made on
   * first use.
   *
   * @throws {@link ForwardersClosedError} after {@link NatsForwarders.close}.
   */
  get(url: string): NatsForwarder {
    if (this.isClosed) {
      throw new ForwardersClosedError();
    }
    let forwarder = this.forwarders.get(url);
    if (forwarder === undefined) {
      forwarder = new NatsForwarder({ ...this.options, url });
      this.forwarders.set(url, forwarder);
    }
    return forwarder;
  }

  /** Stats of every forwarder made so far. */
  stats(): NatsForwarderStats[] {
    return [...this.forwarders.values()].map((forwarder) => forwarder.stats());
  }

  /** Closes every forwarder (their unfinished forwards end as `retry`). */
  async close(): Promise<void> {
    this.isClosed = true;
    const all = [...this.forwarders.values()];
    this.forwarders.clear();
    await Promise.all(all.map((forwarder) => forwarder.close()));
  }
}
