// @vitest-environment node
import { createServer, type Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { systemClock, type Clock } from '../../../engine/ports/clock';
import type { Disposable } from '../../../engine/ports/clock';
import { decodeBatch, decodeHello } from '../../../engine/transport/codec';
import { FaultPlan } from '../../../engine/transport/fault-plan';
import { FrameDecoder } from '../../../engine/transport/frame-decoder';
import { freePort } from '../../support/free-port';
import { waitFor } from '../../support/wait-for';

import { makeEntry, makeMessage } from './messages';
import {
  closedSocket,
  deliver,
  meshPeers,
  rawConnect,
  startNode,
  type Node,
} from './tcp-harness';

const started: Node[] = [];

async function start(...args: Parameters<typeof startNode>): Promise<Node> {
  const node = await startNode(...args);
  started.push(node);
  return node;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((node) => node.transport.close()));
});

// the real clock, keeping count of the timers still pending on it
function trackingClock(): Clock & { pending: Set<Disposable> } {
  const pending = new Set<Disposable>();
  return {
    pending,
    now: () => systemClock.now(),
    setTimeout(callback, ms) {
      const timer = systemClock.setTimeout(() => {
        pending.delete(handle);
        callback();
      }, ms);
      const handle = {
        dispose: () => {
          pending.delete(handle);
          timer.dispose();
        },
      };
      pending.add(handle);
      return handle;
    },
  };
}

// counts the handles and timers a leak would leave behind
function resourceCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) {
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe('TcpTransport', () => {
  describe('send()', () => {
    it('exchanges messages between three transports', async () => {
      const nodes = [await start(1), await start(2), await start(3)];
      meshPeers(nodes);
      for (const from of nodes) {
        for (const to of nodes) {
          if (from !== to) {
            await deliver(from, to);
          }
        }
      }
      const stats = nodes[0]?.transport.stats();
      expect(stats?.peers.map((peer) => peer.peer)).toStrictEqual([2, 3]);
      for (const peer of stats?.peers ?? []) {
        expect(peer.isConnected).toBe(true);
        expect(peer.messagesSent).toBe(1);
        expect(peer.messagesReceived).toBe(1);
        expect(peer.bytesSent).toBeGreaterThan(0);
      }
    });

    it('writes everything sent in one turn as one batch frame', async () => {
      const frames: Uint8Array[] = [];
      const decoder = new FrameDecoder();
      const sockets: Socket[] = [];
      const fake = createServer((socket) => {
        sockets.push(socket);
        socket.on('data', (chunk) =>
          decoder.push(chunk, (body) => {
            frames.push(body);
          }),
        );
      });
      await new Promise<void>((resolve) =>
        fake.listen(0, '127.0.0.1', resolve),
      );
      const port = (fake.address() as { port: number }).port;
      try {
        const a = await start(1);
        a.transport.setPeers(new Map([[2, { host: '127.0.0.1', port }]]));
        for (let i = 0; i < 50; i++) {
          a.transport.send([makeMessage(1, 2, { index: 2 * i })]);
          a.transport.send([makeMessage(1, 2, { index: 2 * i + 1 })]);
        }
        await waitFor(() => frames.length >= 2, { what: 'two frames' });
        expect(decodeHello(frames[0] as Uint8Array).from).toBe(1);
        const batch = decodeBatch(frames[1] as Uint8Array);
        expect(batch.map((m) => m.index)).toStrictEqual(
          Array.from({ length: 100 }, (_, i) => i),
        );
      } finally {
        sockets.forEach((socket) => socket.destroy());
        await new Promise((resolve) => fake.close(resolve));
      }
    });

    it('delivers a large first message along with the handshake', async () => {
      const a = await start(1);
      const b = await start(2);
      meshPeers([a, b]);
      const entries = [makeEntry(1, 100_000)];
      a.transport.send([makeMessage(1, 2, { entries, context: 77 })]);
      const got = await waitFor(() => b.inbox.find((m) => m.context === 77));
      expect(got.entries).toStrictEqual(entries);
    });

    it('counts messages to a node it has no address for', async () => {
      const a = await start(1);
      a.transport.send([makeMessage(1, 9)]);
      expect(a.transport.stats().drops.noRoute).toBe(1);
    });
  });

  describe('reconnect', () => {
    it('reaches a peer again after it restarts on the same port', async () => {
      const a = await start(1);
      const b = await start(2);
      meshPeers([a, b]);
      await deliver(a, b);
      const port = b.transport.port;
      await b.transport.close();

      // sent while the peer is down: queued, then delivered on reconnect
      a.transport.send([makeMessage(1, 2, { context: 4242 })]);
      await waitFor(() => a.transport.stats().peers[0]?.isConnected === false);
      const again = await start(2, { port });
      meshPeers([a, again]);
      await waitFor(() => again.inbox.some((m) => m.context === 4242), {
        what: 'the queued message',
      });
      await deliver(again, a);
      expect(a.transport.stats().peers[0]?.reconnects).toBeGreaterThan(0);
    });
  });

  describe('setPeers()', () => {
    it('follows a peer that restarted on a new port', async () => {
      const a = await start(1);
      const b = await start(2);
      meshPeers([a, b]);
      await deliver(a, b);
      await b.transport.close();
      a.transport.send([makeMessage(1, 2, { context: 4343 })]);
      const moved = await start(2);
      meshPeers([a, moved]);
      await waitFor(() => moved.inbox.some((m) => m.context === 4343), {
        what: 'the queued message at the new port',
      });
    });

    it('forgets a peer that is no longer listed', async () => {
      const a = await start(1);
      const b = await start(2);
      meshPeers([a, b]);
      await deliver(a, b);
      a.transport.setPeers(new Map());
      expect(a.transport.stats().peers).toStrictEqual([]);
      a.transport.send([makeMessage(1, 2)]);
      expect(a.transport.stats().drops.noRoute).toBe(1);
    });
  });

  describe('onMessage()', () => {
    it('keeps the connection when a handler throws', async () => {
      const a = await start(1);
      const b = await start(2);
      meshPeers([a, b]);
      let calls = 0;
      b.transport.onMessage(() => {
        if (calls++ === 0) {
          throw new Error('handler bug');
        }
      });
      await deliver(a, b);
      await deliver(a, b);
      const failure = b.logger.lines.find((line) => line.level === 'error');
      expect(failure?.fields.error).toBe('handler bug');
      expect(b.transport.stats().rejectedConnections).toBe(0);
    });
  });

  describe('faults', () => {
    it('blocks A to B but not B to A under a one-way cut', async () => {
      const faults = new FaultPlan();
      const a = await start(1, { faults });
      const b = await start(2, { faults });
      meshPeers([a, b]);
      faults.cut(1, 2);
      a.transport.send([makeMessage(1, 2, { context: 7 })]);
      await deliver(b, a);
      faults.heal();

      // the connection is ordered: had 7 gone out, it would arrive first
      await deliver(a, b);
      expect(b.inbox.some((m) => m.context === 7)).toBe(false);
      expect(a.transport.stats().drops.fault).toBe(1);
    });

    it('duplicates and delays messages on the wire', async () => {
      const faults = new FaultPlan();
      const a = await start(1, { faults });
      const b = await start(2, { faults });
      meshPeers([a, b]);
      faults.setLink(1, 2, { duplicate: 1 });
      const tag = await deliver(a, b);
      await waitFor(
        () => b.inbox.filter((m) => m.context === tag).length === 2,
      );

      faults.setLink(1, 2, { delayMs: 30 });
      a.transport.send([makeMessage(1, 2, { context: 501 })]);
      faults.heal();
      a.transport.send([makeMessage(1, 2, { context: 502 })]);
      await waitFor(() => b.inbox.some((m) => m.context === 501));
      const order = b.inbox.map((m) => m.context).filter((c) => c > 500);
      expect(order).toStrictEqual([502, 501]);
    });
  });

  describe('close()', () => {
    it('leaves no socket, listener or timer behind', async () => {
      const before = resourceCounts();
      const faults = new FaultPlan();
      const clock = trackingClock();
      const nodes = [
        await startNode(1, { faults, clock }),
        await startNode(2, { faults, clock }),
        await startNode(3, { faults, clock }),
      ];
      const deadPort = await freePort();
      meshPeers(nodes, [[9, { host: '127.0.0.1', port: deadPort }]]);
      await deliver(nodes[0] as Node, nodes[1] as Node);
      await deliver(nodes[2] as Node, nodes[0] as Node);

      // pending work of every kind: a reconnect backoff, a delayed
      // message, and a connection that has not sent its handshake
      nodes[0]?.transport.send([makeMessage(1, 9)]);
      faults.setLink(2, 3, { delayMs: 60_000 });
      nodes[1]?.transport.send([makeMessage(2, 3)]);
      const raw = await rawConnect(nodes[2]?.transport.port ?? 0);
      // by the third retry the backoff outlasts close() by far
      const retries = () =>
        nodes[0]?.transport.stats().peers.find((peer) => peer.peer === 9)
          ?.reconnects ?? 0;
      await waitFor(() => retries() >= 3, { what: 'retries to a dead peer' });

      await Promise.all(nodes.map((node) => node.transport.close()));
      await closedSocket(raw);
      expect(clock.pending.size).toBe(0);
      const after = resourceCounts();
      for (const kind of ['TCPSocketWrap', 'TCPServerWrap', 'Timeout']) {
        expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(before[kind] ?? 0);
      }
      expect(after.Immediate ?? 0).toBeLessThanOrEqual(before.Immediate ?? 0);
    });
  });
});
