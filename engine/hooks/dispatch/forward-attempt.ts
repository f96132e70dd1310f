import type { HandlerTarget } from './dispatch-config';
import type { AttemptOutcome, AttemptRequest } from './handler-runner';
import { parseForwardTarget } from '../forward/forward-target';
import { NatsForwarders } from '../forward/nats-forwarders';
import type { Clock } from '../../ports/clock';
import type { Logger } from '../../ports/logger';
import type { Command } from '../../state/commands';
import { toHookEvent, toHookJson } from '../../state/hook-event';
import { AspenError } from '../../util/errors';

/**
 * One attempt of a `forward` handler: to a NATS subject (the HookEvent's
 * JSON, with the forward's key as `Nats-Msg-Id` so a JetStream stream
 * keeps one copy), or to a cluster the studio runs (a publish of the
 * event's payload on `target_topic`, the key in a header).
 *
 * @packageDocumentation
 */

/** A cluster a forward handler publishes to (see the studio's seam). */
export interface ForwardClusterPort {
  propose(cmd: Command): Promise<unknown>;
}

/** Header that carries a forward's key on a target cluster. */
export const FORWARD_KEY_HEADER = 'aspen-forward-key';

/** What forwarding needs. */
export interface ForwardAttemptsOptions {
  /** NATS forwarders; one registry is made on first use when omitted. */
  forwarders?: NatsForwarders;
  /** A studio-run cluster, started on first use. */
  forwardCluster?(name: string): Promise<ForwardClusterPort>;
  clock: Clock;
  logger: Logger;
}

/** Runs forward attempts; owns the NATS registry it made. */
export class ForwardAttempts {
  private forwarders?: NatsForwarders;

  constructor(private readonly options: ForwardAttemptsOptions) {
    this.forwarders = options.forwarders;
  }

  /** Forwards one event; a bad target throws `INVALID_FORWARD_TARGET`. */
  async run(
    request: AttemptRequest,
    target: Extract<HandlerTarget, { type: 'forward' }>,
  ): Promise<AttemptOutcome> {
    const parsed = parseForwardTarget(target.targetCluster, target.targetTopic);
    const timeoutMs = request.handler.timeoutMs;
    if (parsed.kind === 'nats') {
      this.forwarders ??= new NatsForwarders({ logger: this.options.logger });
      const body = toHookJson(toHookEvent(request.event, request.node));
      const outcome = await this.forwarders.get(parsed.url).forward({
        subject: parsed.subject,
        payload: new TextEncoder().encode(body),
        msgId: request.forwardKey,
        timeoutMs,
      });
      if (outcome.status === 'succeeded') {
        return { status: 'succeeded', exitCode: null };
      }
      // a permanent failure cannot be mended by a retry: DLQ at once
      return outcome.status === 'retry'
        ? { status: 'retry', message: outcome.message, exitCode: null }
        : {
            status: 'failed',
            message: outcome.message,
            isRetryable: false,
            exitCode: null,
          };
    }

    const connect = this.options.forwardCluster;
    if (connect === undefined) {
      throw new AspenError(
        'NO_FORWARD_CLUSTER',
        `forward to cluster ${parsed.name}: this runtime runs no target clusters`,
      );
    }
    // TODO(hooks): a retried forward can leave two copies on the target
    // cluster; the key travels in a header, but nothing dedups on it yet
    const headers: Record<string, string> = {};
    if (request.forwardKey !== undefined) {
      headers[FORWARD_KEY_HEADER] = request.forwardKey;
    }
    const send = connect(parsed.name).then((cluster) =>
      cluster.propose({
        t: 'publish',
        topic: parsed.topic,
        payload: request.event.payload,
        headers,
      }),
    );
    await this.within(send, timeoutMs, `forward to cluster ${parsed.name}`);
    return { status: 'succeeded', exitCode: null };
  }

  /** Closes the NATS registry if this made it. */
  async close(): Promise<void> {
    if (this.options.forwarders === undefined) {
      await this.forwarders?.close();
    }
  }

  private within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = this.options.clock.setTimeout(
        () =>
          reject(new AspenError('TIMEOUT', `${what} timed out after ${ms} ms`)),
        ms,
      );
      work.then(
        (value) => {
          timer.dispose();
          resolve(value);
        },
        (error: unknown) => {
          timer.dispose();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }
}
