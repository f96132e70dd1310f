import type {
  ClusterStatus,
  InvokeChannel,
  InvokeMap,
} from '../../preload/contract';
import {
  ScenarioError,
  type ParseContext,
  type ScenarioPath,
} from './scenario-error';
import { nodeId, onlyKeys, payloadOf, record, string } from './scenario-values';

/** What a running step or expectation can do: the contract, and waits. */
export interface RunContext {
  /** A request through the router, as any front end sends it. */
  call<C extends InvokeChannel>(
    channel: C,
    request: InvokeMap[C]['request'],
  ): Promise<InvokeMap[C]['response']>;
  /** Waits for a leader; returns its id. */
  leader(): Promise<number>;
  status(): ClusterStatus;
  /** The leader when the steps began. */
  initialLeader: number | null;
}

/** One parsed step. */
export interface Step {
  /** One line for the progress output. */
  describe: string;
  run(context: RunContext): Promise<void>;
}

/** How one kind of step is read from its table. */
export interface StepKind {
  parse(
    table: Record<string, unknown>,
    path: ScenarioPath,
    context: ParseContext,
  ): Step;
}

// a running node other than the leader
async function follower(context: RunContext): Promise<number> {
  const leader = await context.leader();
  const node = context
    .status()
    .nodes.find((n) => n.state === 'running' && n.id !== leader);
  if (node === undefined) {
    throw new Error('no running follower to pick');
  }
  return node.id;
}

/** Every kind of step, by the key that names it. */
export const STEP_KINDS: Readonly<Record<string, StepKind>> = {
  publish: {
    parse(table, path, { dir }) {
      onlyKeys(table, ['publish'], path);
      const at = [...path, 'publish'];
      const spec = record(table.publish, at, 'publish');
      onlyKeys(spec, ['topic', 'payload', 'payload_file', 'headers'], at);
      const topic = string(spec.topic, [...at, 'topic'], 'topic');
      const payload = payloadOf(spec, at, dir);
      const headers = spec.headers as Record<string, string> | undefined;
      return {
        describe: `publish ${topic}`,
        run: async (c) => {
          await c.call('events:publish', {
            topic,
            payload,
            ...(headers ? { headers } : {}),
          });
        },
      };
    },
  },
  kv_put: {
    parse(table, path) {
      onlyKeys(table, ['kv_put'], path);
      const at = [...path, 'kv_put'];
      const spec = record(table.kv_put, at, 'kv_put');
      onlyKeys(spec, ['key', 'value', 'ttl_ms'], at);
      const key = string(spec.key, [...at, 'key'], 'key');
      const value = string(spec.value, [...at, 'value'], 'value');
      const ttlMs = spec.ttl_ms as number | undefined;
      return {
        describe: `kv_put ${key}`,
        run: async (c) => {
          await c.call('kv:put', {
            key,
            value,
            ...(ttlMs === undefined ? {} : { ttlMs }),
          });
        },
      };
    },
  },
  kv_delete: {
    parse(table, path) {
      onlyKeys(table, ['kv_delete'], path);
      const key = string(table.kv_delete, [...path, 'kv_delete'], 'kv_delete');
      return {
        describe: `kv_delete ${key}`,
        run: async (c) => {
          await c.call('kv:delete', { key });
        },
      };
    },
  },
  kill: {
    parse(table, path, context) {
      onlyKeys(table, ['kill'], path);
      const at = [...path, 'kill'];
      const which = table.kill;
      const fixed =
        which === 'leader' || which === 'follower'
          ? undefined
          : nodeId(which, at, context);
      return {
        describe: `kill ${String(which)}`,
        run: async (c) => {
          const node =
            fixed ??
            (which === 'leader' ? await c.leader() : await follower(c));
          await c.call('cluster:kill', { node });
        },
      };
    },
  },
  restart: {
    parse(table, path, context) {
      onlyKeys(table, ['restart'], path);
      const which = table.restart;
      const fixed =
        which === 'killed'
          ? undefined
          : nodeId(which, [...path, 'restart'], context);
      return {
        describe: `restart ${String(which)}`,
        run: async (c) => {
          const killed = c.status().nodes.filter((n) => n.state === 'killed');
          const nodes = fixed === undefined ? killed.map((n) => n.id) : [fixed];
          for (const node of nodes) {
            await c.call('cluster:restart', { node });
          }
        },
      };
    },
  },
  partition: {
    parse(table, path, context) {
      onlyKeys(table, ['partition'], path);
      const at = [...path, 'partition'];
      const spec = table.partition;
      if (spec === 'leader') {
        return {
          describe: 'partition the leader off',
          run: async (c) => {
            const leader = await c.leader();
            const others = c
              .status()
              .nodes.map((n) => n.id)
              .filter((id) => id !== leader);
            await c.call('cluster:partition', { groups: [[leader], others] });
          },
        };
      }
      if (!Array.isArray(spec) || !spec.every(Array.isArray)) {
        throw new ScenarioError(
          at,
          'partition is "leader" or groups like [[1], [2, 3]]',
        );
      }
      const groups = (spec as unknown[][]).map((group, i) =>
        group.map((id, j) => nodeId(id, [...at, i, j], context)),
      );
      return {
        describe: `partition ${JSON.stringify(groups)}`,
        run: async (c) => {
          await c.call('cluster:partition', { groups });
        },
      };
    },
  },
  heal: {
    parse(table, path) {
      onlyKeys(table, ['heal'], path);
      return {
        describe: 'heal',
        run: async (c) => {
          await c.call('cluster:heal', {});
        },
      };
    },
  },
  transfer: {
    parse(table, path, context) {
      onlyKeys(table, ['transfer'], path);
      const to = nodeId(table.transfer, [...path, 'transfer'], context);
      return {
        describe: `transfer leadership to ${to}`,
        run: async (c) => {
          await c.call('cluster:transfer', { to });
        },
      };
    },
  },
  wait_for_leader: {
    parse(table, path) {
      onlyKeys(table, ['wait_for_leader'], path);
      return {
        describe: 'wait for a leader',
        run: async (c) => {
          await c.leader();
        },
      };
    },
  },
};
