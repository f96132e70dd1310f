import { randomFloat, randomInt, type Rng } from '../../../../engine/ports/rng';
import { formatEventId } from '../../../../engine/state/event-id';
import type { Delivery } from '../../../../engine/state/groups/commands';
import { isErrorResult } from '../../../../engine/state/results';
import {
  pause,
  type AspenCluster,
  type SessionClient,
} from '../../../support/aspen-cluster';

/** One delivery of a message, as the test-side consumer handled it. */
export interface Handled {
  consumer: string;
  attempt: number;
  /** `abandoned`: the consumer dropped it, as if it had crashed. */
  outcome: 'success' | 'failure' | 'abandoned';
  /** What the state answered to the ack or nak: `ok`, a code or `none`. */
  answer: string;
}

/** Options of {@link GroupConsumers}. */
export interface GroupConsumersOptions {
  group: string;
  consumers: number;
  /** Messages fetched at a time by one consumer. */
  fetchMax: number;
  rng: Rng;
  /** Share of deliveries that fail (nak) on their own. */
  failRate: number;
  /** Share of deliveries dropped unsettled, left to time out. */
  abandonRate: number;
  /** Messages whose every delivery fails, so they must end in the DLQ. */
  isPoison(payload: unknown): boolean;
  /** How long handling takes, drawn in [min, max) ms. */
  workMs: [number, number];
}

/**
 * Competing consumers of one group, played by the test: each joins,
 * fetches, handles (recording every delivery by message) and acks or naks
 * with the delivery's receipt, or now and then drops a delivery as a
 * crashed consumer would, leaving it to its visibility timeout. A
 * consumer told its token is stale or that it is no longer a member joins
 * again.
 */
export class GroupConsumers {
  /** Every delivery of each message (by `index.offset`), in order. */
  readonly handled = new Map<string, Handled[]>();
  /** Deliveries whose event the state no longer held. */
  withoutEvent = 0;
  /** Joins after the first, one per fenced or expired session. */
  rejoins = 0;
  private isStopped = false;
  private failure: unknown;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly aspen: AspenCluster,
    private readonly options: GroupConsumersOptions,
  ) {}

  start(): void {
    this.loops = Array.from({ length: this.options.consumers }, (_, i) =>
      this.run(i).catch((error: unknown) => {
        this.failure ??= error;
      }),
    );
    this.aspen.onCleanup(() => this.stop());
  }

  /** Stops fetching, lets handling end; throws what broke a consumer. */
  async stop(): Promise<void> {
    this.isStopped = true;
    await Promise.all(this.loops);
    if (this.failure !== undefined) {
      throw this.failure;
    }
  }

  /** Messages whose ack was answered `ok`. */
  acked(): Set<string> {
    const done = new Set<string>();
    for (const [cursor, deliveries] of this.handled) {
      if (
        deliveries.some((d) => d.outcome === 'success' && d.answer === 'ok')
      ) {
        done.add(cursor);
      }
    }
    return done;
  }

  private async run(index: number): Promise<void> {
    const { group, fetchMax } = this.options;
    const client = this.aspen.client(`consumer-${index}`);
    const consumer = `c${index}`;
    let token: number | undefined;
    let joins = 0;
    while (!this.isStopped) {
      if (token === undefined) {
        const joined = await client.proposeOk<{ fencingToken: number }>({
          t: 'groups',
          cmd: { type: 'join', group, consumer },
        });
        token = joined.fencingToken;
        if (joins > 0) {
          this.rejoins += 1;
        }
        joins += 1;
        continue;
      }
      const result = await client.propose({
        t: 'groups',
        cmd: {
          type: 'fetch',
          group,
          consumer,
          fencingToken: token,
          max: fetchMax,
        },
      });
      if (isErrorResult(result)) {
        const { code, message } = result.error;
        if (code !== 'NOT_MEMBER' && code !== 'FENCED') {
          throw new Error(`fetch refused: ${code} ${message}`);
        }
        token = undefined;
        continue;
      }
      const { messages } = result as { messages: Delivery[] };
      if (messages.length === 0) {
        await pause(20);
        continue;
      }
      await Promise.all(
        messages.map((message) => this.handle(client, consumer, message)),
      );
    }
  }

  private async handle(
    client: SessionClient,
    consumer: string,
    delivery: Delivery,
  ): Promise<void> {
    const { group, rng, failRate, abandonRate, workMs } = this.options;
    const payload = delivery.event?.payload;
    this.withoutEvent += delivery.event === null ? 1 : 0;
    const draw = randomFloat(rng);
    const outcome: Handled['outcome'] =
      draw < abandonRate
        ? 'abandoned'
        : this.options.isPoison(payload) || draw < abandonRate + failRate
          ? 'failure'
          : 'success';
    await pause(workMs[0] + randomInt(rng, workMs[1] - workMs[0]));

    const { receipt } = delivery;
    let answer = 'none';
    if (outcome !== 'abandoned') {
      const result = await client.propose({
        t: 'groups',
        cmd:
          outcome === 'failure'
            ? { type: 'nak', group, receipt, error: 'handler failed' }
            : { type: 'ack', group, receipt },
      });
      answer = isErrorResult(result) ? result.error.code : 'ok';
    }
    const cursor = formatEventId(delivery.cursor);
    const deliveries = this.handled.get(cursor) ?? [];
    this.handled.set(cursor, deliveries);
    deliveries.push({ consumer, attempt: delivery.attempt, outcome, answer });
  }
}
