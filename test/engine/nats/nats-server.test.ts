// @vitest-environment node
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// The run's own nats-server (test/setup/global-nats.ts): the reference our
// subject matcher is checked against.
describe('nats-server fixture', () => {
  let nc: NatsConnection;
  const prefix = `t${process.pid}`;

  beforeAll(async () => {
    const url = inject('natsUrl');
    if (url === '') {
      throw new Error(inject('natsError'));
    }
    nc = await connect({ servers: url });
  });

  afterAll(() => nc?.close());

  it('delivers only the subjects a wildcard subscription matches', async () => {
    const star: string[] = [];
    const tail: string[] = [];
    const strip = (subject: string) => subject.slice(prefix.length + 1);
    nc.subscribe(`${prefix}.orders.*`, {
      callback: (_error, message) => {
        star.push(strip(message.subject));
      },
    });
    nc.subscribe(`${prefix}.orders.>`, {
      callback: (_error, message) => {
        tail.push(strip(message.subject));
      },
    });
    for (const subject of ['created', 'created.eu', 'shipped']) {
      nc.publish(`${prefix}.orders.${subject}`, subject);
    }
    nc.publish(`${prefix}.orders`, 'bare');

    // one round trip: everything published before it has been delivered
    await nc.flush();
    expect(star).toEqual(['orders.created', 'orders.shipped']);
    expect(tail).toEqual([
      'orders.created',
      'orders.created.eu',
      'orders.shipped',
    ]);
  });
});
