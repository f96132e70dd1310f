import { AspenError } from '../../engine/util/errors';
import type { InvokeHandlers } from '../server/router';

import { StudioError } from './errors';
import type { StudioService } from './studio-service';

type ClusterHandlers = Pick<
  InvokeHandlers,
  | 'cluster:status'
  | 'cluster:kill'
  | 'cluster:restart'
  | 'cluster:partition'
  | 'cluster:cut'
  | 'cluster:link'
  | 'cluster:heal'
  | 'cluster:transfer'
  | 'cluster:add'
  | 'cluster:remove'
>;

/**
 * The node controls. Every node a request names must exist; a bad one is
 * refused before anything changes, so the cluster keeps running as it was.
 */
export function clusterHandlers(service: StudioService): ClusterHandlers {
  const { cluster } = service;

  const known = (id: number, role = 'node') => {
    const ids = cluster.nodeIds();
    if (!ids.includes(id)) {
      throw new StudioError(
        'UNKNOWN_NODE',
        `${role} ${id} does not exist (nodes: ${ids.join(', ')})`,
      );
    }
    return id;
  };
  const running = (id: number, role = 'node') => {
    known(id, role);
    if (cluster.host(id) === undefined) {
      throw new StudioError('NODE_NOT_RUNNING', `${role} ${id} is killed`);
    }
    return id;
  };
  const done = () => {
    service.frames.markStatusDirty();
    return service.status();
  };

  return {
    'cluster:status': () => service.status(),
    'cluster:kill': async ({ node }) => {
      await cluster.kill(running(node));
      return done();
    },
    'cluster:restart': async ({ node }) => {
      await cluster.restart(known(node));
      return done();
    },
    'cluster:partition': ({ groups }) => {
      groups.flat().forEach((id) => known(id));
      cluster.partition(groups);
      return done();
    },
    'cluster:cut': ({ from, to }) => {
      checkLink(known(from, 'from node'), known(to, 'to node'));
      cluster.cut(from, to);
      return done();
    },
    'cluster:link': ({ from, to, ...fault }) => {
      checkLink(known(from, 'from node'), known(to, 'to node'));
      cluster.setLink(from, to, fault);
      return done();
    },
    'cluster:heal': () => {
      cluster.heal();
      return done();
    },
    'cluster:transfer': async ({ to }) => {
      await cluster.transferLeadership(running(to), service.requestTimeoutMs);
      return done();
    },
    'cluster:add': async ({ asLearner }) => {
      const timeoutMs = service.requestTimeoutMs * 2;
      const node = asLearner
        ? await cluster.addLearner(timeoutMs)
        : await cluster.addNode(timeoutMs);
      return { node, status: done() };
    },
    'cluster:remove': async ({ node }) => {
      await cluster.removeNode(known(node), service.requestTimeoutMs);
      return done();
    },
  };
}

function checkLink(from: number, to: number): void {
  if (from === to) {
    const why = `a link joins two nodes, but both ends are node ${from}`;
    throw new AspenError('BAD_REQUEST', `to: ${why}`);
  }
}
