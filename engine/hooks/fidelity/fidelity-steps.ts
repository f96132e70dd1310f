import { PRODUCTION_TOPICS } from '../config/production-topics';
import type { LocalCluster } from '../../cluster/local-cluster';
import type { NodeId } from '../../raft/types';
import type { Command, KvBatchOp } from '../../state/commands';
import { KV_TOPICS } from '../../state/kv';
import type { StateEvent } from '../../state/module';
import { isReserved } from '../../pubsub/subject';

/**
 * What a fidelity comparison does to each of its clusters, in order: the
 * writes and faults of a scenario, or of a range of events recorded in the
 * timeline ({@link stepsFromEvents}).
 *
 * @packageDocumentation
 */

/** One step of a comparison. */
export type FidelityStep =
  | {
      type: 'publish';
      topic: string;
      /** @defaultValue null */
      payload?: unknown;
      headers?: Record<string, string>;
    }
  | { type: 'kv_put'; key: string; value: string; ttlMs?: number }
  | { type: 'kv_delete'; key: string }
  /** Several writes in one entry: one event per key, all applied at once. */
  | { type: 'kv_batch'; ops: KvBatchOp[] }
  | { type: 'kill'; node: 'leader' | 'follower' | NodeId }
  /** `killed`: every node that is not running. */
  | { type: 'restart'; node: 'killed' | NodeId }
  /** Groups that cannot reach each other; `leader`: the leader alone. */
  | { type: 'partition'; groups: 'leader' | NodeId[][] }
  | { type: 'heal' }
  | { type: 'transfer'; to: NodeId }
  | { type: 'wait_for_leader' };

/** What a step acts on. */
export interface StepTarget {
  cluster: LocalCluster;
  /** Proposes through a retry-safe client session. */
  propose(cmd: Command): Promise<unknown>;
  /** Waits for a leader; returns its id. */
  leader(): Promise<NodeId>;
}

/** One line naming a step, for reports. */
export function describeStep(step: FidelityStep): string {
  switch (step.type) {
    case 'publish':
      return `publish ${step.topic}`;
    case 'kv_put':
      return `kv_put ${step.key}`;
    case 'kv_delete':
      return `kv_delete ${step.key}`;
    case 'kv_batch':
      return `kv_batch of ${step.ops.length}`;
    case 'kill':
      return `kill ${step.node}`;
    case 'restart':
      return `restart ${step.node}`;
    case 'partition':
      return `partition ${JSON.stringify(step.groups)}`;
    case 'heal':
      return 'heal';
    case 'transfer':
      return `transfer leadership to ${step.to}`;
    case 'wait_for_leader':
      return 'wait for a leader';
  }
}

/** Runs one step; a refused command rejects with its code. */
export async function runStep(
  step: FidelityStep,
  target: StepTarget,
): Promise<void> {
  const { cluster } = target;
  switch (step.type) {
    case 'publish':
      await target.propose({
        t: 'publish',
        topic: step.topic,
        payload: step.payload ?? null,
        ...(step.headers === undefined ? {} : { headers: step.headers }),
      });
      return;
    case 'kv_put':
      await target.propose({
        t: 'kv.put',
        key: step.key,
        value: step.value,
        ...(step.ttlMs === undefined ? {} : { ttlMs: step.ttlMs }),
      });
      return;
    case 'kv_delete':
      await target.propose({ t: 'kv.delete', key: step.key });
      return;
    case 'kv_batch':
      await target.propose({ t: 'kv.batch', ops: step.ops });
      return;
    case 'kill':
      await cluster.kill(await pick(step.node, target));
      return;
    case 'restart': {
      const ids =
        step.node === 'killed'
          ? cluster.nodeIds().filter((id) => cluster.host(id) === undefined)
          : [step.node];
      for (const id of ids) {
        await cluster.restart(id);
      }
      await target.leader();
      return;
    }
    case 'partition':
      cluster.partition(
        step.groups === 'leader' ? await leaderAlone(target) : step.groups,
      );
      return;
    case 'heal':
      cluster.heal();
      return;
    case 'transfer':
      await cluster.transferLeadership(step.to);
      return;
    case 'wait_for_leader':
      await target.leader();
      return;
  }
}

async function leaderAlone(target: StepTarget): Promise<NodeId[][]> {
  const leader = await target.leader();
  const others = target.cluster.nodeIds().filter((id) => id !== leader);
  return [[leader], others];
}

async function pick(
  which: 'leader' | 'follower' | NodeId,
  target: StepTarget,
): Promise<NodeId> {
  if (typeof which === 'number') {
    return which;
  }
  const leader = await target.leader();
  if (which === 'leader') {
    return leader;
  }
  const { cluster } = target;
  const follower = cluster
    .nodeIds()
    .find((id) => id !== leader && cluster.host(id) !== undefined);
  if (follower === undefined) {
    throw new Error('no running follower to kill');
  }
  return follower;
}

const DEFINED_TOPICS = new Set(PRODUCTION_TOPICS.map(({ topic }) => topic));

/**
 * The steps that replay a recorded range of events: each user publish and
 * each KV write or delete, in log order. Everything else is left to the
 * cluster, which makes its own elections, membership events and
 * snapshots; publishes a handler made are left to the handlers, which
 * make them again. A write is replayed with a value of its recorded size;
 * a publish on a topic production defines cannot be told from the event
 * the cluster made, and is left out too.
 */
export function stepsFromEvents(events: readonly StateEvent[]): FidelityStep[] {
  const steps: FidelityStep[] = [];
  for (const event of events) {
    const payload = event.payload as Record<string, unknown> | null;
    if (event.topic === KV_TOPICS.write) {
      const size = Number(payload?.value_size_bytes ?? 0);
      const value = 'x'.repeat(Number.isInteger(size) ? size : 0);
      steps.push({ type: 'kv_put', key: String(payload?.key), value });
    } else if (event.topic === KV_TOPICS.delete) {
      steps.push({ type: 'kv_delete', key: String(payload?.key) });
    } else if (
      !DEFINED_TOPICS.has(event.topic) &&
      !isReserved(event.topic) &&
      event.causation === undefined
    ) {
      steps.push({
        type: 'publish',
        topic: event.topic,
        payload: event.payload,
        ...(event.headers === undefined ? {} : { headers: event.headers }),
      });
    }
  }
  return steps;
}
