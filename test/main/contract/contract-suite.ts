import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  type EventsBatch,
  type PushChannel,
  type PushMap,
} from '../../../preload/contract';
import { scaled } from '../../support/time-scale';
import { waitFor } from '../../support/wait-for';
import {
  failure,
  type ContractHarness,
  type SuiteContext,
} from './contract-helpers';
import { configChecks } from './contract-suite-config';
import { timeChecks } from './contract-suite-time';
import { workspaceChecks } from './contract-suite-workspace';

export type { ContractHarness };

/**
 * The contract, channel by channel, with good and bad input, over any
 * carrier. Every bad request must come back as `{code, message}` and
 * leave the cluster running; the last check proves it still commits.
 */
export function runContractSuite(
  name: string,
  connect: () => Promise<ContractHarness>,
): void {
  describe(`contract over ${name}`, () => {
    let harness: ContractHarness;
    const received = new Map<PushChannel, unknown[]>();
    const context: SuiteContext = {
      api: () => harness.api,
      service: () => harness.service,
      pushes: <C extends PushChannel>(channel: C) =>
        (received.get(channel) ?? []) as PushMap[C][],
    };

    beforeAll(async () => {
      harness = await connect();
      for (const channel of ['cluster:status', 'events:batch'] as const) {
        received.set(channel, []);
        harness.api.on(channel, (payload) =>
          received.get(channel)!.push(payload),
        );
      }
    });

    afterAll(() => harness?.close());

    it('reports the app and its workspace', async () => {
      const info = await harness.api.invoke('app:info', {});
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(info.workspace?.dir).toBe(harness.service.workspace.dir);
    });

    it('answers an unknown channel with UNKNOWN_CHANNEL', async () => {
      const api = harness.api as unknown as {
        invoke(channel: string, request: unknown): Promise<unknown>;
      };
      const error = await failure(api.invoke('cluster:explode', {}));
      expect(error.code).toBe('UNKNOWN_CHANNEL');
    });

    clusterChecks(context);
    eventChecks(context);
    kvChecks(context);
    configChecks(context);
    workspaceChecks(context);
    timeChecks(context);

    it('keeps the cluster running and committing after all the bad input', async () => {
      const status = await harness.api.invoke('cluster:status', {});
      expect(status.leader).not.toBeNull();
      const { id } = await harness.api.invoke('events:publish', {
        topic: 'suite.done',
        payload: { ok: true },
      });
      expect(id).toMatch(/^\d+\.\d+$/);
    });
  });
}

function clusterChecks(s: SuiteContext): void {
  it('pushes a coalesced cluster status with a leader', async () => {
    const status = await waitFor(
      () => s.pushes('cluster:status').find((p) => p.leader !== null),
      { timeoutMs: scaled(10_000), what: 'a status push with a leader' },
    );
    expect(status.nodes.map((n) => n.id)).toEqual([1, 2, 3]);
  });

  it('refuses a node that does not exist and keeps running', async () => {
    const error = await failure(s.api().invoke('cluster:kill', { node: 9 }));
    expect(error).toEqual({
      code: 'UNKNOWN_NODE',
      message: 'node 9 does not exist (nodes: 1, 2, 3)',
    });
    const partition = await failure(
      s.api().invoke('cluster:partition', { groups: [[1], [2, 42]] }),
    );
    expect(partition.code).toBe('UNKNOWN_NODE');
    const status = await s.api().invoke('cluster:status', {});
    expect(status.nodes.every((n) => n.state === 'running')).toBe(true);
  });

  it('refuses malformed node requests with where and why', async () => {
    const api = s.api() as unknown as {
      invoke(channel: string, request: unknown): Promise<unknown>;
    };
    expect(await failure(api.invoke('cluster:kill', { node: 'two' }))).toEqual({
      code: 'BAD_REQUEST',
      message: 'cluster:kill: node: expected a node id (a positive integer)',
    });
    const extra = await failure(api.invoke('cluster:heal', { now: true }));
    expect(extra.message).toBe('cluster:heal: request: unknown key "now"');
    const cut = await failure(
      s.api().invoke('cluster:cut', { from: 2, to: 2 }),
    );
    expect(cut.code).toBe('BAD_REQUEST');
  });

  it('kills and restarts a follower', async () => {
    const { leader } = await s.api().invoke('cluster:status', {});
    const follower = leader === 1 ? 2 : 1;
    const killed = await s.api().invoke('cluster:kill', { node: follower });
    expect(killed.nodes.find((n) => n.id === follower)?.state).toBe('killed');
    const again = await failure(
      s.api().invoke('cluster:kill', { node: follower }),
    );
    expect(again.code).toBe('NODE_NOT_RUNNING');
    const restarted = await s
      .api()
      .invoke('cluster:restart', { node: follower });
    expect(restarted.nodes.find((n) => n.id === follower)?.state).toBe(
      'running',
    );
  });

  it('sets and heals partitions, cuts and link faults', async () => {
    let status = await s.api().invoke('cluster:link', {
      from: 1,
      to: 2,
      delayMs: 5,
      drop: 0.1,
    });
    expect(status.faults.links).toEqual([
      { from: 1, to: 2, delayMs: 5, drop: 0.1 },
    ]);
    status = await s.api().invoke('cluster:cut', { from: 3, to: 1 });
    expect(status.faults.cuts).toEqual([{ from: 3, to: 1 }]);
    status = await s
      .api()
      .invoke('cluster:partition', { groups: [[1, 2], [3]] });
    expect(status.faults.partition).toEqual([[1, 2], [3]]);
    status = await s.api().invoke('cluster:heal', {});
    expect(status.faults.description).toBe('no faults');
  });

  it('transfers leadership to a follower', async () => {
    const { leader } = await s.api().invoke('cluster:status', {});
    const to = leader === 3 ? 2 : 3;
    await s.api().invoke('cluster:transfer', { to });
    await waitFor(
      async () => (await s.api().invoke('cluster:status', {})).leader === to,
      { timeoutMs: scaled(10_000), what: `node ${to} to lead` },
    );
  });

  it('adds a learner and removes it again', async () => {
    const { node, status } = await s.api().invoke('cluster:add', {
      asLearner: true,
    });
    expect(node).toBe(4);
    expect(status.nodes.find((n) => n.id === 4)?.isVoter).toBe(false);
    const after = await s.api().invoke('cluster:remove', { node: 4 });
    expect(after.nodes.map((n) => n.id)).toEqual([1, 2, 3]);
  });
}

function eventChecks(s: SuiteContext): void {
  it('publishes an event and finds it in the timeline and the feed', async () => {
    const { id } = await s.api().invoke('events:publish', {
      topic: 'orders.created',
      payload: { id: 7, items: ['book'] },
      headers: { source: 'suite' },
    });
    const page = await s.api().invoke('events:range', {
      pattern: 'orders.*',
      text: 'book',
    });
    expect(page.events.map((e) => e.id)).toContain(id);
    const event = page.events.find((e) => e.id === id);
    expect(event).toMatchObject({
      topic: 'orders.created',
      payload: { id: 7, items: ['book'] },
      headers: { source: 'suite' },
    });
    await waitFor(
      () =>
        s
          .pushes('events:batch')
          .some((batch: EventsBatch) => batch.events.some((e) => e.id === id)),
      { timeoutMs: scaled(5_000), what: 'the event in a pushed batch' },
    );
  });

  it('takes a payload as JSON text and refuses text that is not JSON', async () => {
    const { id } = await s.api().invoke('events:publish', {
      topic: 'orders.updated',
      payloadJson: '{"id": 8}',
    });
    const page = await s.api().invoke('events:range', { from: id, limit: 1 });
    expect(page.events[0]?.payload).toEqual({ id: 8 });
    const error = await failure(
      s
        .api()
        .invoke('events:publish', { topic: 'orders.x', payloadJson: '{id: 8' }),
    );
    expect(error.code).toBe('INVALID_PAYLOAD');
    expect(error.message).toMatch(/^payloadJson: not JSON: /);
  });

  it('refuses an invalid subject, pattern or event id', async () => {
    const subject = await failure(
      s.api().invoke('events:publish', { topic: 'orders..created' }),
    );
    expect(subject.code).toBe('INVALID_SUBJECT');
    expect(subject.message).toContain('is empty');
    const pattern = await failure(
      s.api().invoke('events:range', { pattern: 'orders.>.x' }),
    );
    expect(pattern.code).toBe('INVALID_PATTERN');
    const from = await failure(
      s.api().invoke('events:range', { from: 'latest' }),
    );
    expect(from).toEqual({
      code: 'BAD_REQUEST',
      message: 'events:range: from: expected an event id like 12.0',
    });
  });
}

function kvChecks(s: SuiteContext): void {
  it('puts, reads, lists and deletes a key', async () => {
    expect(
      await s.api().invoke('kv:put', { key: 'cfg/a', value: '1' }),
    ).toEqual({
      isCreate: true,
    });
    const got = await s.api().invoke('kv:get', { key: 'cfg/a' });
    expect(got).toMatchObject({
      found: true,
      value: '1',
      encoding: 'utf8',
      version: 1,
    });
    expect(await s.api().invoke('kv:list', { prefix: 'cfg/' })).toEqual({
      keys: ['cfg/a'],
    });
    expect(await s.api().invoke('kv:delete', { key: 'cfg/a' })).toEqual({
      existed: true,
    });
    expect(await s.api().invoke('kv:get', { key: 'cfg/a' })).toEqual({
      key: 'cfg/a',
      found: false,
    });
  });

  it('expires a key whose TTL passed', async () => {
    await s.api().invoke('kv:put', { key: 'ttl/a', value: 'x', ttlMs: 50 });
    await waitFor(
      async () => !(await s.api().invoke('kv:get', { key: 'ttl/a' })).found,
      { timeoutMs: scaled(5_000), what: 'the key to expire' },
    );
  });

  it('refuses an empty key', async () => {
    const error = await failure(
      s.api().invoke('kv:put', { key: '', value: '1' }),
    );
    expect(error).toEqual({
      code: 'BAD_REQUEST',
      message: 'kv:put: key: key is empty',
    });
  });
}
