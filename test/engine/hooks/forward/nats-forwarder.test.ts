// @vitest-environment node
import { randomBytes } from 'node:crypto';

import {
  DiscardPolicy,
  jetstreamManager,
  type JetStreamManager,
} from '@nats-io/jetstream';
import {
  connect,
  type Msg,
  type NatsConnection,
} from '@nats-io/transport-node';
import {
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  inject,
  it,
} from 'vitest';

import type { ForwardRequest } from '../../../../engine/hooks/forward/forward-outcome';
import { NatsForwarders } from '../../../../engine/hooks/forward/nats-forwarders';
import { freePort } from '../../../support/free-port';
import { waitFor } from '../../../support/wait-for';

// The run's shared nats-server (JetStream on). Every test publishes under
// its own subject prefix and names its streams after it.
describe('NatsForwarder', () => {
  let url: string;
  let prefix: string;
  let observer: NatsConnection;
  let jsm: JetStreamManager;
  let forwarders: NatsForwarders;
  let streams: string[];
  let counter = 0;

  const request = (extra: Partial<ForwardRequest>): ForwardRequest => ({
    subject: `${prefix}.a`,
    payload: new Uint8Array(0),
    timeoutMs: 3000,
    ...extra,
  });

  async function listen(pattern: string): Promise<Msg[]> {
    const seen: Msg[] = [];
    observer.subscribe(pattern, {
      callback: (_error, message) => {
        seen.push(message);
      },
    });
    // the SUB is in place once the server answers a ping after it
    await observer.flush();
    return seen;
  }

  async function addStream(subject: string): Promise<string> {
    const name = `FWD_${prefix}`;
    await jsm.streams.add({ name, subjects: [subject] });
    streams.push(name);
    return name;
  }

  beforeAll(() => {
    url = inject('natsUrl');
    if (url === '') {
      throw new Error(inject('natsError'));
    }
  });

  beforeEach(async () => {
    counter += 1;
    prefix = `fwd${process.pid}_${counter}`;
    observer = await connect({ servers: url });
    jsm = await jetstreamManager(observer);
    forwarders = new NatsForwarders();
    streams = [];
  });

  afterEach(async () => {
    await forwarders.close();
    for (const name of streams) {
      await jsm.streams.delete(name);
    }
    await observer.close();
  });

  it('delivers core publishes in call order, byte for byte, once flushed', async () => {
    const seen = await listen(`${prefix}.>`);
    const payloads = [
      new Uint8Array(0),
      Uint8Array.from([0, 13, 10, 255, 0]),
      ...Array.from({ length: 60 }, (_, i) => randomBytes(1 + i * 97)),
      randomBytes(256 * 1024),
    ];
    const forwarder = forwarders.get(url);

    // issued back to back, without waiting: order is the forwarder's job
    const outcomes = await Promise.all(
      payloads.map((payload, i) =>
        forwarder.forward(
          request({ subject: `${prefix}.n${i}`, payload, mode: 'core' }),
        ),
      ),
    );

    for (const outcome of outcomes) {
      expect(outcome).toEqual({ status: 'succeeded', detail: 'flushed' });
    }
    await waitFor(() => seen.length === payloads.length);
    expect(seen.map((message) => message.subject)).toEqual(
      payloads.map((_, i) => `${prefix}.n${i}`),
    );
    seen.forEach((message, i) => {
      expect(Buffer.from(message.data).equals(Buffer.from(payloads[i]!))).toBe(
        true,
      );
    });
    expect(forwarder.stats()).toMatchObject({
      isConnected: true,
      inFlight: 0,
      waiting: 0,
      bufferedBytes: 0,
      rejectedBufferFull: 0,
      unconfirmed: 0,
    });
  });

  it('reports the PubAck when a stream covers the subject and a flush when none does', async () => {
    const stream = await addStream(`${prefix}.js.>`);
    const forwarder = forwarders.get(url);
    const payload = randomBytes(300);

    const first = await forwarder.forward(
      request({
        subject: `${prefix}.js.a`,
        payload,
        headers: { 'X-Origin': 'cluster-1' },
      }),
    );
    const second = await forwarder.forward(
      request({ subject: `${prefix}.js.b` }),
    );
    const uncovered = await forwarder.forward(
      request({ subject: `${prefix}.core.a` }),
    );

    expect(first).toEqual({
      status: 'succeeded',
      detail: 'pub-ack',
      stream,
      seq: 1,
      duplicate: false,
    });
    expect(second).toMatchObject({ detail: 'pub-ack', stream, seq: 2 });
    expect(uncovered).toEqual({ status: 'succeeded', detail: 'flushed' });
    const stored = await jsm.streams.getMessage(stream, { seq: 1 });
    expect(stored?.subject).toBe(`${prefix}.js.a`);
    expect(Buffer.from(stored!.data).equals(payload)).toBe(true);
    expect(stored?.header.get('X-Origin')).toBe('cluster-1');
  });

  it('keeps one stored copy of a redriven forward that carries a msgId', async () => {
    const stream = await addStream(`${prefix}.>`);
    const forwarder = forwarders.get(url);
    const send = () =>
      forwarder.forward(
        request({ msgId: `${prefix}-event-7`, mode: 'jetstream' }),
      );

    const first = await send();
    const again = await send();

    expect(first).toMatchObject({ seq: 1, duplicate: false });
    expect(again).toMatchObject({ stream, seq: 1, duplicate: true });
    expect((await jsm.streams.info(stream)).state.messages).toBe(1);
  });

  it('asks for a retry when JetStream is asked for and no stream answers', async () => {
    const outcome = await forwarders
      .get(url)
      .forward(request({ mode: 'jetstream' }));

    expect(outcome).toMatchObject({ status: 'retry', reason: 'no-stream' });
    expect(outcome).toHaveProperty(
      'message',
      expect.stringContaining(`answered for subject "${prefix}.a"`),
    );
  });

  it('fails for good when the stream refuses a message and retries when it is full', async () => {
    const name = `FWD_${prefix}`;
    await jsm.streams.add({
      name,
      subjects: [`${prefix}.>`],
      max_msg_size: 100,
      max_msgs: 1,
      discard: DiscardPolicy.New,
    });
    streams.push(name);
    const forwarder = forwarders.get(url);

    const tooLarge = await forwarder.forward(
      request({ payload: new Uint8Array(101) }),
    );
    const stored = await forwarder.forward(request({}));
    const full = await forwarder.forward(request({}));

    expect(tooLarge).toMatchObject({
      status: 'failed',
      reason: 'payload-too-large',
    });
    expect(stored).toMatchObject({ detail: 'pub-ack', seq: 1 });
    expect(full).toMatchObject({ status: 'retry', reason: 'rejected' });
    expect(full).toHaveProperty(
      'message',
      expect.stringContaining('maximum messages exceeded'),
    );
  });

  it('ends as a timeout retry when a JetStream publish gets no PubAck', async () => {
    // a plain subscriber answers nothing, yet stops the no-responders reply
    await listen(`${prefix}.a`);
    const started = performance.now();

    const outcome = await forwarders
      .get(url)
      .forward(request({ mode: 'jetstream', timeoutMs: 300 }));

    expect(outcome).toMatchObject({ status: 'retry', reason: 'timeout' });
    expect(performance.now() - started).toBeLessThan(1300);
    expect(forwarders.get(url).stats().unconfirmed).toBe(1);
  });

  it('publishes nothing for an invalid subject', async () => {
    const seen = await listen('>');
    const forwarder = forwarders.get(url);
    const bad = [
      '',
      `${prefix}..a`,
      `${prefix}.*`,
      `${prefix}.a.>`,
      `${prefix}.b c`,
    ];

    for (const subject of bad) {
      const outcome = await forwarder.forward(request({ subject }));
      expect(outcome).toMatchObject({
        status: 'failed',
        reason: 'invalid-subject',
      });
    }
    expect(forwarder.stats().isConnected).toBe(false);

    // anything sent before this marker would arrive before it
    const marker = await forwarder.forward(
      request({ subject: `${prefix}.marker`, mode: 'core' }),
    );
    expect(marker).toMatchObject({ status: 'succeeded' });
    await waitFor(() =>
      seen.some((message) => message.subject === `${prefix}.marker`),
    );
    const ours = seen.filter((message) => message.subject.startsWith(prefix));
    expect(ours.map((message) => message.subject)).toEqual([
      `${prefix}.marker`,
    ]);
  });

  it('fails a header NATS cannot carry', async () => {
    const outcome = await forwarders
      .get(url)
      .forward(request({ headers: { 'bad key': 'x' } }));

    expect(outcome).toMatchObject({ status: 'failed', reason: 'rejected' });
    expect(outcome).toHaveProperty(
      'message',
      expect.stringContaining('bad key'),
    );
  });

  it('ends as an unreachable retry within the timeout when nothing listens', async () => {
    const nowhere = `nats://127.0.0.1:${await freePort()}`;
    const forwarder = forwarders.get(nowhere);
    const started = performance.now();

    const outcomes = await Promise.all([
      forwarder.forward(request({ timeoutMs: 1000 })),
      forwarder.forward(request({ timeoutMs: 1000, mode: 'core' })),
    ]);

    expect(performance.now() - started).toBeLessThan(1000);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'retry', reason: 'unreachable' });
      expect(outcome).toHaveProperty(
        'message',
        expect.stringContaining(`cannot connect to ${nowhere}`),
      );
    }
    expect(forwarder.stats()).toMatchObject({ inFlight: 0, bufferedBytes: 0 });
  });

  it('shares one forwarder per URL and refuses new ones once closed', async () => {
    const forwarder = forwarders.get(url);

    expect(forwarders.get(url)).toBe(forwarder);
    expect(forwarders.stats().map((stats) => stats.url)).toEqual([url]);
    await forwarders.close();
    expect(() => forwarders.get(url)).toThrow(/closed/);
  });
});
