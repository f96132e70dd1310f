// @vitest-environment node
import { createServer, type Server, type Socket } from 'node:net';

import { pack } from 'msgpackr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SeededRng } from '../../../engine/ports/rng';
import {
  encodeBatch,
  encodeFrames,
  encodeHello,
  PROTOCOL_VERSION,
} from '../../../engine/transport/codec';
import { waitFor } from '../../support/wait-for';

import { makeEntry, makeMessage } from './messages';
import {
  closedSocket,
  CLUSTER,
  deliver,
  meshPeers,
  rawConnect,
  startNode,
  waitForReason,
  type Node,
} from './tcp-harness';

// node 3 is a known peer that is not running, so a raw socket can speak
// for it without disturbing the real connection from node 2
const GHOST = 3;
const SLOW = 4;

let a: Node;
let b: Node;
let slowServer: Server;
const slowSockets: Socket[] = [];

function hello(overrides: Partial<Parameters<typeof encodeHello>[0]> = {}) {
  return encodeHello({
    version: PROTOCOL_VERSION,
    clusterId: CLUSTER,
    from: GHOST,
    ...overrides,
  });
}

function header(size: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(size);
  return bytes;
}

// writes `bytes` on a fresh raw connection and waits until it is closed
async function sendRaw(bytes: Uint8Array): Promise<void> {
  const socket = await rawConnect(a.transport.port);
  socket.write(bytes);
  await closedSocket(socket);
}

// the bad connection is gone; the good peer still talks both ways
async function expectStillServing(): Promise<void> {
  expect(a.transport.stats().rejectedConnections).toBeGreaterThan(0);
  await deliver(a, b);
  await deliver(b, a);
}

beforeEach(async () => {
  // a peer that accepts connections and never reads from them
  slowServer = createServer({ pauseOnConnect: true }, (socket) => {
    slowSockets.push(socket);
  });
  await new Promise<void>((resolve) =>
    slowServer.listen(0, '127.0.0.1', resolve),
  );
  const slowPort = (slowServer.address() as { port: number }).port;
  a = await startNode(1, {
    handshakeTimeoutMs: 300,
    maxQueue: 8,
    maxBufferedBytes: 256 * 1024,
    stallTimeoutMs: 200,
  });
  b = await startNode(2);
  meshPeers(
    [a, b],
    [
      [GHOST, { host: '127.0.0.1', port: 1 }],
      [SLOW, { host: '127.0.0.1', port: slowPort }],
    ],
  );
  await deliver(a, b);
});

afterEach(async () => {
  await Promise.all([a.transport.close(), b.transport.close()]);
  slowSockets.splice(0).forEach((socket) => socket.destroy());
  await new Promise((resolve) => slowServer.close(resolve));
});

describe('TcpTransport on a hostile wire', () => {
  it('takes a handshake and a large batch from one write', async () => {
    const socket = await rawConnect(a.transport.port);
    const batch = encodeBatch([
      makeMessage(GHOST, 1, { entries: [makeEntry(1, 8192)], context: 33 }),
    ]);
    socket.write(encodeFrames([hello(), batch]));
    await waitFor(() => a.inbox.some((m) => m.context === 33));
    socket.destroy();
    await closedSocket(socket);
  });

  it('closes a connection that sends random bytes', async () => {
    for (const seed of [1, 2, 3]) {
      const rng = new SeededRng(seed);
      const bytes = Uint8Array.from({ length: 64 }, () => rng.nextUint32());
      await sendRaw(bytes);
    }
    const warnings = a.logger.lines.filter(
      (line) => line.level === 'warn' && line.message === 'closing connection',
    );
    expect(warnings).toHaveLength(3);
    for (const line of warnings) {
      expect(line.fields).toMatchObject({ scope: 'transport', node: 1 });
      expect(typeof line.fields.reason).toBe('string');
    }
    await expectStillServing();
  });

  it('logs a frame cut short by the peer closing', async () => {
    const partial = Buffer.concat([header(100), Buffer.alloc(10)]);
    const socket = await rawConnect(a.transport.port);
    socket.write(Buffer.concat([encodeFrames([hello()]), partial]));
    socket.end();
    await closedSocket(socket);
    const line = await waitForReason(a, 'connection closed mid-frame');
    expect(line.fields).toMatchObject({ peer: GHOST, buffered: 14 });
    await expectStillServing();
  });

  it('closes on an oversized frame header before any body', async () => {
    await sendRaw(
      Buffer.concat([encodeFrames([hello()]), header(2 ** 32 - 1)]),
    );
    const line = await waitForReason(a, 'bad frame');
    expect(line.fields.code).toBe('FRAME_TOO_LARGE');
    await expectStillServing();
  });

  it('allows only a small frame before the handshake', async () => {
    await sendRaw(header(4096));
    const line = await waitForReason(a, 'bad frame');
    expect(line.fields.code).toBe('FRAME_TOO_LARGE');
    await expectStillServing();
  });

  it('closes on a frame that is not a batch of messages', async () => {
    await sendRaw(encodeFrames([hello(), pack([1, 2, 3])]));
    const line = await waitForReason(a, 'bad message');
    expect(line.fields.code).toBe('BAD_FRAME');
    await expectStillServing();
  });

  it('closes on a handshake that is not one', async () => {
    await sendRaw(encodeFrames([pack({ hello: 'there' })]));
    await waitForReason(a, 'bad handshake');
    await expectStillServing();
  });

  it('refuses an unknown node, cluster or version', async () => {
    await sendRaw(encodeFrames([hello({ from: 99 })]));
    expect((await waitForReason(a, 'unknown node')).fields.from).toBe(99);
    await sendRaw(encodeFrames([hello({ clusterId: 'other' })]));
    await waitForReason(a, 'wrong cluster');
    await sendRaw(encodeFrames([hello({ version: PROTOCOL_VERSION + 1 })]));
    await waitForReason(a, 'unsupported protocol version');
    await expectStillServing();
  });

  it('closes on a message that claims another sender', async () => {
    const forged = encodeBatch([makeMessage(2, 1)]);
    await sendRaw(encodeFrames([hello(), forged]));
    const line = await waitForReason(a, 'misaddressed message');
    expect(line.fields).toMatchObject({ from: 2, to: 1 });
    expect(a.inbox.filter((m) => m.from === 2)).toHaveLength(0);
    await expectStillServing();
  });

  it('closes a connection that never sends its handshake', async () => {
    const socket = await rawConnect(a.transport.port);
    await closedSocket(socket);
    await waitForReason(a, 'no handshake in time');
    await expectStillServing();
  });

  it('bounds what it keeps for a peer that never reads', async () => {
    const big = () =>
      makeMessage(1, SLOW, { entries: [makeEntry(1, 64 * 1024)] });
    const slowPeer = () =>
      a.transport.stats().peers.find((peer) => peer.peer === SLOW);
    await waitFor(
      () => {
        a.transport.send([big(), big(), big(), big()]);
        expect(slowPeer()?.queued).toBeLessThanOrEqual(8);
        return a.logger.lines.some(
          (l) => l.fields.reason === 'peer stopped reading',
        );
      },
      { what: 'the stalled connection to be cut' },
    );
    const line = await waitForReason(a, 'peer stopped reading');
    expect(line.fields.peer).toBe(SLOW);
    // at most the cap plus one flush of the bounded queue
    expect(line.fields.buffered).toBeLessThan(256 * 1024 + 9 * 66 * 1024);
    expect(slowPeer()?.dropped).toBeGreaterThan(0);
    await deliver(a, b);
    await deliver(b, a);
  });
});
