import { connect, type Socket } from 'node:net';

import { systemClock } from '../../../engine/ports/clock';
import { CapturingLogger } from '../../../engine/ports/logger';
import { SeededRng } from '../../../engine/ports/rng';
import type { PeerAddress } from '../../../engine/ports/transport';
import type { Message, NodeId } from '../../../engine/raft/types';
import {
  TcpTransport,
  type TcpTransportOptions,
} from '../../../engine/transport/tcp-transport';
import { waitFor } from '../../support/wait-for';

import { makeMessage } from './messages';

export const CLUSTER = 'test-cluster';

/** A transport under test with what it received and what it logged. */
export interface Node {
  id: NodeId;
  transport: TcpTransport;
  inbox: Message[];
  logger: CapturingLogger;
}

/** Starts a transport on a loopback port with a capturing logger. */
export async function startNode(
  id: NodeId,
  overrides: Partial<TcpTransportOptions> = {},
): Promise<Node> {
  const logger = new CapturingLogger();
  const transport = await TcpTransport.listen({
    id,
    clusterId: CLUSTER,
    rng: new SeededRng(id),
    clock: systemClock,
    logger,
    ...overrides,
  });
  const inbox: Message[] = [];
  transport.onMessage((message) => inbox.push(message));
  return { id, transport, inbox, logger };
}

/** Tells every node where every other one listens. */
export function meshPeers(
  nodes: Node[],
  extra: [NodeId, PeerAddress][] = [],
): void {
  const peers = new Map<NodeId, PeerAddress>(extra);
  for (const node of nodes) {
    peers.set(node.id, { host: '127.0.0.1', port: node.transport.port });
  }
  for (const node of nodes) {
    node.transport.setPeers(peers);
  }
}

let nextTag = 1;

/** Sends a uniquely tagged message and waits until `to` has it. */
export async function deliver(from: Node, to: Node): Promise<number> {
  const tag = nextTag++;
  from.transport.send([makeMessage(from.id, to.id, { context: tag })]);
  await waitFor(() => to.inbox.some((m) => m.context === tag), {
    what: `message ${tag} from ${from.id} to ${to.id}`,
  });
  return tag;
}

/** A raw client socket to `port`, resolved once connected. */
export async function rawConnect(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  return socket;
}

/** Resolves when `socket` has been closed, by either side. */
export function closedSocket(socket: Socket): Promise<void> {
  if (socket.closed) {
    return Promise.resolve();
  }
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Waits for a `closing connection` warning with `reason`. */
export function waitForReason(node: Node, reason: string) {
  return waitFor(
    () =>
      node.logger.lines.find(
        (line) =>
          line.level === 'warn' &&
          line.message === 'closing connection' &&
          line.fields.reason === reason,
      ),
    { what: `a warning '${reason}' from node ${node.id}` },
  );
}
