// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { SeededRng } from '../../../engine/ports/rng';
import type {
  ClientTarget,
  ProposeOutcome,
  ReadOutcome,
} from '../../../engine/sim/client-target';
import { EventQueue } from '../../../engine/sim/event-queue';
import { KvMachine, type KvCommand } from '../../../engine/sim/kv-machine';
import { Trace } from '../../../engine/sim/trace';
import { Workload } from '../../../engine/sim/workload';
import { AspenError } from '../../../engine/util/errors';

/** A one-node "cluster" whose behaviour each test scripts. */
class FakeTarget implements ClientTarget {
  readonly id = 1;
  readonly kv = new KvMachine();
  readonly received: KvCommand[] = [];
  refuseFirst = 0;
  isSilent = false;
  private index = 0;

  constructor(private readonly queue: EventQueue) {}

  propose(command: KvCommand, done: (o: ProposeOutcome) => void): void {
    this.received.push(command);
    this.refuse();
    if (this.isSilent) {
      return;
    }
    const index = ++this.index;
    this.queue.schedule(2, () => {
      const output = this.kv.apply(command)!;
      done({ kind: 'applied', output, index, term: 1 });
    });
  }

  readIndex(key: string, done: (o: ReadOutcome) => void): void {
    this.refuse();
    if (!this.isSilent) {
      this.queue.schedule(1, () =>
        done({ kind: 'read', value: this.kv.get(key) }),
      );
    }
  }

  private refuse(): void {
    if (this.refuseFirst > 0) {
      this.refuseFirst -= 1;
      throw new AspenError('NOT_LEADER', 'not the leader');
    }
  }
}

function setup(seed = 1) {
  const queue = new EventQueue();
  const target = new FakeTarget(queue);
  const workload = new Workload(
    queue,
    new SeededRng(seed),
    new Trace(),
    () => target,
    { keys: 1, clientsPerKey: 2, opTimeoutMs: 500, attemptTimeoutMs: 100 },
  );
  const runFor = (ms: number) => {
    for (
      let at = queue.peekTime();
      at !== undefined && at <= ms;
      at = queue.peekTime()
    ) {
      queue.pop()!.run();
    }
  };
  return { queue, target, workload, runFor };
}

describe('Workload', () => {
  it('records answered ops with their call and return times', () => {
    const { workload, runFor } = setup();
    workload.start();
    runFor(2_000);
    workload.stop();
    runFor(4_000);

    expect(workload.outstanding).toBe(0);
    expect(workload.history.length).toBe(workload.stats.ok);
    expect(workload.stats.ok).toBeGreaterThan(20);
    for (const op of workload.history) {
      expect(op.return).toBeGreaterThanOrEqual(op.call);
      expect(op.output?.type).toBe(op.input.type);
    }
    const values = workload.history.flatMap(({ input }) => {
      if (input.type === 'write') {
        return [input.value];
      }
      return input.type === 'cas' ? [input.to] : [];
    });
    expect(new Set(values).size).toBe(values.length);
  });

  it('retries a refused command with the same session sequence', () => {
    const { workload, target, runFor } = setup(2);
    target.refuseFirst = 50;
    workload.start();
    runFor(3_000);

    expect(workload.stats.retries).toBeGreaterThanOrEqual(3);
    // proposals of one client: each sequence number is tried until it is
    // answered, and only then does the next one start
    const proposals = target.received.filter((c) => c.client === 1);
    const seqs = proposals.map((c) => c.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBeLessThan(seqs.length);
    // and a retry is the very same command, value included
    const first = proposals[0]!;
    const retries = proposals.filter((c) => c.seq === first.seq);
    expect(retries.length).toBeGreaterThan(1);
    expect(retries).toEqual(retries.map(() => first));
  });

  it('records a write without an answer as unknown and leaves reads out', () => {
    const { workload, target, runFor } = setup(4);
    target.isSilent = true;
    workload.start();
    runFor(600);
    workload.stop();
    runFor(2_000);

    const unknown = workload.history.filter((op) => op.return === undefined);
    expect(unknown.length).toBe(workload.stats.unknown);
    expect(unknown.every((op) => op.input.type !== 'read')).toBe(true);
    expect(workload.stats.unknown + workload.stats.failed).toBe(
      workload.stats.calls,
    );
    // each attempt of an op is the same command, resent
    const first = target.received[0]!;
    const resent = target.received.filter(
      (c) => c.client === first.client && c.seq === first.seq,
    );
    expect(resent.length).toBeGreaterThan(1);
  });
});
