// @vitest-environment node
import { jetstreamManager } from '@nats-io/jetstream';
import {
  connect,
  type Msg,
  type NatsConnection,
} from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type {
  ForwardOutcome,
  ForwardRequest,
} from '../../../../engine/hooks/forward/forward-outcome';
import { NatsForwarder } from '../../../../engine/hooks/forward/nats-forwarder';
import { NatsProcess } from './nats-process';
import { waitFor } from '../../../support/wait-for';

const text = (value: string) => new TextEncoder().encode(value);

interface Timed {
  outcome: ForwardOutcome;
  elapsedMs: number;
}

// Each test runs its own nats-server, so it can stop and restart it; the
// run's shared server is never touched.
describe('NatsForwarder against a server that goes away', () => {
  let server: NatsProcess | undefined;
  let forwarder: NatsForwarder | undefined;
  const clients: NatsConnection[] = [];
  const prefix = `fwd${process.pid}`;

  async function start(options: { jetstream?: boolean; maxPayload?: number }) {
    server = await NatsProcess.start(options);
    return server;
  }

  function forwarderFor(url: string, reconnectBufferBytes?: number) {
    forwarder = new NatsForwarder({
      url,
      reconnectTimeWaitMs: 50,
      reconnectBufferBytes,
    });
    return forwarder;
  }

  async function client(url: string): Promise<NatsConnection> {
    const nc = await connect({
      servers: url,
      reconnectTimeWait: 50,
      maxReconnectAttempts: -1,
    });
    clients.push(nc);
    return nc;
  }

  function timed(
    target: NatsForwarder,
    request: ForwardRequest,
  ): Promise<Timed> {
    const started = performance.now();
    return target.forward(request).then((outcome) => ({
      outcome,
      elapsedMs: performance.now() - started,
    }));
  }

  async function stream(url: string, name: string, subject: string) {
    const nc = await client(url);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name, subjects: [subject] });
    return jsm;
  }

  beforeEach(() => {
    clients.length = 0;
  });

  afterEach(async () => {
    await forwarder?.close();
    await Promise.all(clients.map((nc) => nc.close()));
    await server?.dispose();
    forwarder = undefined;
    server = undefined;
  });

  it('fails for good over max_payload and keeps the connection usable', async () => {
    const { url } = await start({ maxPayload: 1024 });
    const target = forwarderFor(url);
    const send = (bytes: number, headers?: Record<string, string>) =>
      target.forward({
        subject: `${prefix}.big`,
        payload: new Uint8Array(bytes),
        headers,
        timeoutMs: 3000,
      });

    const tooLarge = await send(1025);
    const withHeaders = await send(1000, { 'X-Pad': 'p'.repeat(40) });
    const atLimit = await send(1024);

    expect(tooLarge).toMatchObject({
      status: 'failed',
      reason: 'payload-too-large',
    });
    expect(tooLarge).toHaveProperty(
      'message',
      expect.stringMatching(/1025 bytes .* max_payload of 1024 bytes/),
    );
    expect(withHeaders).toMatchObject({ reason: 'payload-too-large' });
    expect(atLimit).toEqual({ status: 'succeeded', detail: 'flushed' });
    expect(target.stats().reconnects).toBe(0);
  });

  it('retries forwards issued while the server is down and delivers again after a restart', async () => {
    const { url } = await start({});
    const observer = await client(url);
    let observerReconnects = 0;
    void (async () => {
      for await (const status of observer.status()) {
        observerReconnects += status.type === 'reconnect' ? 1 : 0;
      }
    })();
    const seen: Msg[] = [];
    observer.subscribe(`${prefix}.>`, {
      callback: (_error, message) => {
        seen.push(message);
      },
    });
    await observer.flush();
    const target = forwarderFor(url);
    const send = (i: number, timeoutMs: number) =>
      timed(target, {
        subject: `${prefix}.m`,
        payload: text(`m${i}`),
        mode: 'core',
        timeoutMs,
      });

    for (let i = 0; i < 5; i++) {
      expect((await send(i, 3000)).outcome).toMatchObject({
        status: 'succeeded',
      });
    }
    await server!.stop();
    await waitFor(() => !target.stats().isConnected);
    const down = await Promise.all([5, 6, 7, 8, 9].map((i) => send(i, 300)));

    for (const { outcome, elapsedMs } of down) {
      expect(outcome).toMatchObject({ status: 'retry', reason: 'unreachable' });
      expect(elapsedMs).toBeLessThan(300 + 700);
    }
    expect(target.stats()).toMatchObject({ waiting: 0, bufferedBytes: 0 });

    // the redrive: same payloads, once the server is back
    await server!.restart();
    await waitFor(() => observerReconnects === 1);
    await observer.flush();
    const redriven = await Promise.all(
      [5, 6, 7, 8, 9].map((i) => send(i, 5000)),
    );

    for (const { outcome } of redriven) {
      expect(outcome).toEqual({ status: 'succeeded', detail: 'flushed' });
    }
    await waitFor(() => seen.length >= 10);
    expect(seen.map((message) => message.string())).toEqual(
      Array.from({ length: 10 }, (_, i) => `m${i}`),
    );
    expect(target.stats().reconnects).toBe(1);
  });

  it('settles every forward of a stream cut by a stop, and a redrive stores each once', async () => {
    const { url } = await start({ jetstream: true });
    await stream(url, 'CUT', `${prefix}.>`);
    const target = forwarderFor(url);
    const send = (i: number, timeoutMs: number) =>
      timed(target, {
        subject: `${prefix}.e`,
        payload: text(`e${i}`),
        msgId: `e${i}`,
        mode: 'jetstream',
        timeoutMs,
      });
    const range = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => from + i);

    for (const i of range(0, 10)) {
      expect((await send(i, 3000)).outcome).toMatchObject({
        detail: 'pub-ack',
      });
    }
    const stopping = server!.stop();
    const during = range(10, 20).map((i) => send(i, 400));
    await stopping;
    const after = range(20, 30).map((i) => send(i, 400));
    const cut = await Promise.all([...during, ...after]);

    // a forward issued as the server stops either got its PubAck or asks
    // for a retry, never a permanent failure; none hangs past its timeout
    // (a generous liveness bound, not a speed claim). The redrive below
    // proves each one is stored exactly once.
    for (const { outcome, elapsedMs } of cut) {
      expect(outcome.status).not.toBe('failed');
      expect(elapsedMs).toBeLessThan(400 + 10_000);
    }
    for (const { outcome } of cut.slice(10)) {
      expect(outcome).toMatchObject({ status: 'retry', reason: 'unreachable' });
    }

    await server!.restart();
    const retried = range(10, 30).filter(
      (i) => cut[i - 10]!.outcome.status === 'retry',
    );
    const redriven = await Promise.all(retried.map((i) => send(i, 5000)));
    for (const { outcome } of redriven) {
      expect(outcome).toMatchObject({ status: 'succeeded', detail: 'pub-ack' });
    }

    const jsm = await jetstreamManager(await client(url));
    expect((await jsm.streams.info('CUT')).state.messages).toBe(30);
    const stored = await Promise.all(
      range(1, 31).map((seq) => jsm.streams.getMessage('CUT', { seq })),
    );
    const payloads = stored.map((message) => message?.string());
    expect(payloads.sort()).toEqual(
      range(0, 30)
        .map((i) => `e${i}`)
        .sort(),
    );
  });

  it('holds at most the buffer bound while down, counts the rest, and releases in order', async () => {
    const { url } = await start({ jetstream: true });
    await stream(url, 'HELD', `${prefix}.>`);
    const target = forwarderFor(url, 10_000);
    const send = (i: number) =>
      target.forward({
        subject: `${prefix}.h`,
        payload: new Uint8Array(1000).fill(i),
        mode: 'jetstream',
        timeoutMs: 10_000,
      });
    expect(await send(0)).toMatchObject({ seq: 1 });
    await server!.stop();
    await waitFor(() => !target.stats().isConnected);

    const outcomes = Array.from({ length: 100 }, (_, i) => send(i + 1));

    expect(target.stats()).toMatchObject({
      waiting: 10,
      bufferedBytes: 10_000,
      bufferLimitBytes: 10_000,
      rejectedBufferFull: 90,
    });
    for (const outcome of await Promise.all(outcomes.slice(10))) {
      expect(outcome).toMatchObject({ status: 'retry', reason: 'buffer-full' });
    }
    await server!.restart();
    const held = await Promise.all(outcomes.slice(0, 10));
    expect(
      held.map((outcome) => outcome.status === 'succeeded' && outcome.seq),
    ).toEqual(Array.from({ length: 10 }, (_, i) => i + 2));
    expect(target.stats()).toMatchObject({
      waiting: 0,
      bufferedBytes: 0,
      reconnects: 1,
      rejectedBufferFull: 90,
    });
    const jsm = await jetstreamManager(await client(url));
    const stored = await jsm.streams.getMessage('HELD', { seq: 11 });
    expect(stored?.data[0]).toBe(10);
  });

  it('ends a forward still waiting for the server as a retry on close', async () => {
    const { url } = await start({});
    const target = forwarderFor(url);
    expect(
      await target.forward({
        subject: `${prefix}.c`,
        payload: text('x'),
        timeoutMs: 3000,
      }),
    ).toMatchObject({ status: 'succeeded' });
    await server!.stop();
    await waitFor(() => !target.stats().isConnected);

    const waiting = timed(target, {
      subject: `${prefix}.c`,
      payload: text('y'),
      timeoutMs: 30_000,
    });
    await target.close();
    const { outcome, elapsedMs } = await waiting;

    expect(outcome).toMatchObject({ status: 'retry', reason: 'unreachable' });
    expect(outcome).toHaveProperty(
      'message',
      expect.stringContaining('closed'),
    );
    expect(elapsedMs).toBeLessThan(5000);
    expect(target.stats()).toMatchObject({ inFlight: 0, waiting: 0 });
  });
});
