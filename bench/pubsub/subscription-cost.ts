// Part of bench:pubsub: what whole subscriptions cost on one machine (no
// Raft): heap bytes per subscription (its record, handle, bookmark slot
// and index entry) and the events/s that apply keeps with 100,000 of them
// against none.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { randomInt, SeededRng } from '../../engine/ports/rng';
import { Subscriptions } from '../../engine/pubsub/subscriptions';
import type { Command } from '../../engine/state/commands';
import { encodeCommand } from '../../engine/state/envelope';
import { AspenStateMachine } from '../../engine/state/machine';
import type { Entry } from '../../engine/raft/types';

/** What {@link measureSubscriptions} found. */
export interface SubscriptionCost {
  subscriptions: number;
  bytesPerSubscription: number;
  applyPerSecondWithout: number;
  applyPerSecondWith: number;
  deliveriesPerEvent: number;
  /** The slowest single apply with the subscriptions (ms). */
  slowestApplyMs: number;
  /** Applies that took over 10 ms with the subscriptions. */
  appliesOver10Ms: number;
}

function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) {
    return exposed;
  }
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

function settledHeap(gc: () => void): number {
  for (let i = 0; i < 4; i++) {
    gc();
  }
  return process.memoryUsage().heapUsed;
}

/** Subscribes `count` selective patterns and applies `events` publishes. */
export async function measureSubscriptions(
  count: number,
  events: number,
): Promise<SubscriptionCost> {
  const gc = collector();
  const rng = new SeededRng(20261204);
  // app.entity.id.event, wildcards only after the id
  const patterns = Array.from({ length: count }, (_, i) => {
    const last = ['*', '>', 'created', 'updated'][randomInt(rng, 4)]!;
    return `a${randomInt(rng, 20)}.e${randomInt(rng, 200)}.id${i}.${last}`;
  });
  // each event made from one subscribed pattern, so each has a match
  const entries: Entry[] = Array.from({ length: events }, (_, i) => {
    const pattern = patterns[randomInt(rng, count)]!;
    const topic = pattern.replace(/[*>]$/, 'created');
    const cmd: Command = { t: 'publish', topic, payload: 'x'.repeat(256) };
    const data = encodeCommand({ v: 1, time: 1, random: 0, cmd });
    return { index: i + 1, term: 1, type: 'normal', data };
  });
  const applyAll = (machine: AspenStateMachine) => {
    const times: number[] = [];
    for (const entry of entries) {
      const start = performance.now();
      machine.apply(entry);
      times.push(performance.now() - start);
    }
    const seconds = times.reduce((sum, ms) => sum + ms, 0) / 1000;
    return { perSecond: Math.round(entries.length / seconds), times };
  };

  const without = applyAll(new AspenStateMachine());
  const machine = new AspenStateMachine();
  const subscriptions = new Subscriptions(machine);
  let delivered = 0;
  const onEvent = () => {
    delivered += 1;
  };
  const before = settledHeap(gc);
  const handles = patterns.map((pattern) =>
    subscriptions.subscribe({ pattern, from: 'now', onEvent }),
  );
  // each goes live on a microtask, once it found nothing to replay
  await new Promise((resolve) => setImmediate(resolve));
  const bytes = (settledHeap(gc) - before) / handles.length;
  const withSubs = applyAll(machine);
  subscriptions.dispose();
  return {
    subscriptions: handles.length,
    bytesPerSubscription: Math.round(bytes),
    applyPerSecondWithout: without.perSecond,
    applyPerSecondWith: withSubs.perSecond,
    deliveriesPerEvent: +(delivered / entries.length).toFixed(2),
    slowestApplyMs: +Math.max(...withSubs.times).toFixed(1),
    appliesOver10Ms: withSubs.times.filter((ms) => ms > 10).length,
  };
}
