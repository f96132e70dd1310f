// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { SeededRng, type Rng } from '../../../engine/ports/rng';
import { FaultPlan } from '../../../engine/transport/fault-plan';

// a seeded rng that counts its draws
function countingRng(seed = 1): Rng & { draws: number } {
  const inner = new SeededRng(seed);
  return {
    draws: 0,
    nextUint32() {
      this.draws++;
      return inner.nextUint32();
    },
  };
}

function delivered(plan: FaultPlan, from: number, to: number): boolean {
  return plan.decide(from, to, new SeededRng(1)).deliver;
}

describe('FaultPlan', () => {
  describe('decide()', () => {
    it('delivers once, at once, without drawing when nothing is set', () => {
      const rng = countingRng();
      expect(new FaultPlan().decide(1, 2, rng)).toStrictEqual({
        deliver: true,
        copies: 1,
        delayMs: 0,
        holdBack: false,
      });
      expect(rng.draws).toBe(0);
    });

    it('drops, duplicates and holds back for sure at probability 1', () => {
      const plan = new FaultPlan();
      plan.setLink(1, 2, { duplicate: 1, reorder: 1, delayMs: 30 });
      plan.setLink(1, 3, { drop: 1 });
      const rng = countingRng();
      expect(plan.decide(1, 2, rng)).toStrictEqual({
        deliver: true,
        copies: 2,
        delayMs: 30,
        holdBack: true,
      });
      expect(plan.decide(1, 3, rng).deliver).toBe(false);
      expect(plan.decide(2, 1, rng).copies).toBe(1);
      expect(rng.draws).toBe(0);
    });

    it('drops about the set share of messages and replays from a seed', () => {
      const plan = new FaultPlan();
      plan.setLink(1, 2, { drop: 0.3 });
      const run = (seed: number) => {
        const rng = new SeededRng(seed);
        return Array.from({ length: 2000 }, () =>
          plan.decide(1, 2, rng).deliver ? 1 : 0,
        );
      };
      const first = run(7);
      const share = first.filter((bit) => bit === 0).length / first.length;
      expect(share).toBeGreaterThan(0.25);
      expect(share).toBeLessThan(0.35);
      expect(run(7)).toStrictEqual(first);
      expect(run(8)).not.toStrictEqual(first);
    });

    it('multiplies link delays by the delay scale', () => {
      const plan = new FaultPlan();
      plan.setLink(1, 2, { delayMs: 40 });
      plan.delayScale = 2.5;
      expect(plan.decide(1, 2, new SeededRng(1)).delayMs).toBe(100);
    });
  });

  describe('partition()', () => {
    it('blocks both ways between groups and keeps each group whole', () => {
      const plan = new FaultPlan();
      plan.partition([[1, 2], [3]]);
      expect(delivered(plan, 1, 3)).toBe(false);
      expect(delivered(plan, 3, 2)).toBe(false);
      expect(delivered(plan, 1, 2)).toBe(true);
      expect(delivered(plan, 2, 1)).toBe(true);
    });

    it('lets a node in no group talk to every group', () => {
      const plan = new FaultPlan();
      plan.partition([[1], [2]]);
      expect(delivered(plan, 4, 1)).toBe(true);
      expect(delivered(plan, 2, 4)).toBe(true);
      expect(delivered(plan, 1, 2)).toBe(false);
    });

    it('replaces the previous partition', () => {
      const plan = new FaultPlan();
      plan.partition([[1], [2, 3]]);
      plan.partition([[1, 2], [3]]);
      expect(delivered(plan, 1, 2)).toBe(true);
      expect(delivered(plan, 2, 3)).toBe(false);
    });

    it('refuses a node in two groups and leaves the plan unchanged', () => {
      const plan = new FaultPlan();
      plan.partition([[1], [2]]);
      expect(() => plan.partition([[1, 2], [2]])).toThrow(/two groups/);
      expect(delivered(plan, 1, 2)).toBe(false);
    });
  });

  describe('cut()', () => {
    it('blocks one direction only', () => {
      const plan = new FaultPlan();
      plan.cut(1, 2);
      expect(delivered(plan, 1, 2)).toBe(false);
      expect(delivered(plan, 2, 1)).toBe(true);
    });
  });

  describe('setLink()', () => {
    it('blocks a link marked blocked and clears it when given no fault', () => {
      const plan = new FaultPlan();
      plan.setLink(1, 2, { blocked: true });
      expect(delivered(plan, 1, 2)).toBe(false);
      plan.setLink(1, 2, {});
      expect(delivered(plan, 1, 2)).toBe(true);
      expect(plan.state().links).toStrictEqual([]);
    });

    it('refuses probabilities outside [0, 1] and negative delays', () => {
      const plan = new FaultPlan();
      for (const fault of [
        { drop: 1.5 },
        { duplicate: -0.1 },
        { reorder: Number.NaN },
        { delayMs: -1 },
        { delayMs: Infinity },
      ]) {
        expect(() => plan.setLink(1, 2, fault)).toThrow(
          expect.objectContaining({ code: 'INVALID_FAULT' }),
        );
      }
      expect(() => plan.setLink(0, 2, { drop: 1 })).toThrow(/node id/);
      expect(() => (plan.delayScale = 0)).toThrow(/not positive/);
    });
  });

  describe('heal()', () => {
    it('clears partitions, cuts and links but keeps the delay scale', () => {
      const plan = new FaultPlan();
      plan.partition([[1], [2]]);
      plan.cut(2, 3);
      plan.setLink(3, 1, { drop: 1 });
      plan.delayScale = 3;
      plan.heal();
      expect(delivered(plan, 1, 2)).toBe(true);
      expect(delivered(plan, 2, 3)).toBe(true);
      expect(delivered(plan, 3, 1)).toBe(true);
      expect(plan.state()).toStrictEqual({
        partition: [],
        cuts: [],
        links: [],
        delayScale: 3,
      });
    });
  });

  describe('describe()', () => {
    it('says what is set, in one line', () => {
      const plan = new FaultPlan();
      expect(plan.describe()).toBe('no faults');
      plan.partition([[1, 2], [3]]);
      plan.cut(1, 3);
      plan.setLink(2, 3, { drop: 0.1, delayMs: 50 });
      plan.delayScale = 2;
      expect(plan.describe().split('; ')).toStrictEqual([
        'partition {1,2} | {3}',
        'cut 1→3',
        '2→3 drop 10%, delay 50 ms',
        'delays ×2',
      ]);
    });
  });

  describe('subscribe()', () => {
    it('calls the listener on every change until unsubscribed', () => {
      const plan = new FaultPlan();
      let calls = 0;
      const unsubscribe = plan.subscribe(() => calls++);
      plan.cut(1, 2);
      plan.setLink(1, 2, { drop: 0.5 });
      plan.partition([[1], [2]]);
      plan.delayScale = 2;
      plan.heal();
      expect(calls).toBe(5);
      unsubscribe();
      plan.cut(1, 2);
      expect(calls).toBe(5);
    });
  });
});
