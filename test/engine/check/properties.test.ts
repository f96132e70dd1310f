// @vitest-environment node
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type {
  CasKvInput,
  CasKvOutput,
} from '../../../engine/check/cas-kv-model';
import { casKvModel } from '../../../engine/check/cas-kv-model';
import type { Operation } from '../../../engine/check/linearizability';
import { checkOperations } from '../../../engine/check/linearizability';
import type { RegisterValue } from '../../../engine/check/register-model';
import { registerModel } from '../../../engine/check/register-model';
import type { RegisterOp } from './histories';

type CasKvOp = Operation<CasKvInput, CasKvOutput>;

/** One operation of a planned run, before it is executed. */
interface Plan {
  key: 'a' | 'b' | 'c';
  kind: 'read' | 'write' | 'cas';
  fromWrite: number;
  call: number;
  duration: number;
  point: number;
  outcome: 'ok' | 'applied' | 'lost';
}

const planArb: fc.Arbitrary<Plan> = fc.record({
  key: fc.constantFrom('a', 'b', 'c'),
  kind: fc.constantFrom('read', 'write', 'cas'),
  fromWrite: fc.integer({ min: -1, max: 12 }),
  call: fc.integer({ min: 0, max: 40 }),
  duration: fc.integer({ min: 0, max: 10 }),
  point: fc.integer({ min: 0, max: 1000 }),
  outcome: fc.constantFrom('ok', 'ok', 'ok', 'applied', 'lost'),
});

/**
 * Runs the plans against a real atomic store, each taking effect at a point
 * inside its interval (or, when sequential, one after the other), and
 * records what a client would see: such a history is linearizable by
 * construction. An unknown outcome may have been applied or lost.
 */
function execute(plans: Plan[], isSequential: boolean): CasKvOp[] {
  const store = new Map<string, string>();
  const timed = plans.map((plan, index) => {
    const call = isSequential ? index * 2 : plan.call;
    const end = isSequential ? call + 1 : call + plan.duration;
    return {
      plan,
      index,
      call,
      end,
      at: call + ((end - call) * plan.point) / 1000,
    };
  });
  const ops: CasKvOp[] = [];
  const inOrder = [...timed].sort((x, y) => x.at - y.at || x.index - y.index);
  for (const { plan, index, call, end } of inOrder) {
    const value = `v${index}`;
    const from = plan.fromWrite < 0 ? null : `v${plan.fromWrite}`;
    const held = store.get(plan.key) ?? null;
    const isApplied = plan.outcome !== 'lost';
    let input: CasKvInput;
    let output: CasKvOutput;
    if (plan.kind === 'read') {
      input = { type: 'read', key: plan.key };
      output = { type: 'read', value: held };
    } else if (plan.kind === 'write') {
      input = { type: 'write', key: plan.key, value };
      output = { type: 'write' };
      if (isApplied) {
        store.set(plan.key, value);
      }
    } else {
      input = { type: 'cas', key: plan.key, from, to: value };
      output = { type: 'cas', ok: held === from };
      if (isApplied && held === from) {
        store.set(plan.key, value);
      }
    }
    const isKnown = plan.outcome === 'ok';
    ops[index] = {
      client: index,
      input,
      call,
      ...(isKnown ? { output, return: end } : {}),
    };
  }
  return ops;
}

// an independent oracle: every order that respects real time, with each
// unknown operation either placed somewhere or left out
function bruteForce(ops: RegisterOp[]): boolean {
  const isPlaced = ops.map(() => false);
  const apply = (held: RegisterValue, op: RegisterOp) => {
    const known = op.return === undefined ? undefined : op.output;
    if (op.input.type === 'read') {
      return known?.type === 'read' && known.value !== held ? 'no' : held;
    }
    if (op.input.type === 'write') {
      return op.input.value;
    }
    const matches = held === op.input.from;
    if (known?.type === 'cas' && known.ok !== matches) {
      return 'no';
    }
    return matches ? op.input.to : held;
  };
  const search = (held: RegisterValue): boolean => {
    const pending = ops.filter((_, index) => !isPlaced[index]);
    if (pending.every((op) => op.return === undefined)) {
      return true;
    }
    return ops.some((op, index) => {
      if (isPlaced[index]) {
        return false;
      }
      const mustWait = pending.some(
        (other) => other.return !== undefined && other.return < op.call,
      );
      const next = apply(held, op);
      if (mustWait || next === 'no') {
        return false;
      }
      isPlaced[index] = true;
      const found = search(next);
      isPlaced[index] = false;
      return found;
    });
  };
  return search(null);
}

const valueArb = fc.constantFrom<RegisterValue>(null, 1, 2);

// arbitrary outputs: some of these histories are linearizable, most not
const randomRegisterOpArb: fc.Arbitrary<RegisterOp> = fc
  .record({
    kind: fc.constantFrom('read', 'write', 'cas'),
    a: valueArb,
    b: valueArb,
    ok: fc.boolean(),
    call: fc.integer({ min: 0, max: 8 }),
    duration: fc.integer({ min: 0, max: 4 }),
    isUnknown: fc.integer({ min: 0, max: 5 }).map((roll) => roll === 0),
  })
  .map(({ kind, a, b, ok, call, duration, isUnknown }): RegisterOp => {
    const timing = {
      client: 0,
      call,
      return: isUnknown ? undefined : call + duration,
    };
    if (kind === 'read') {
      return {
        ...timing,
        input: { type: 'read' },
        output: { type: 'read', value: a },
      };
    }
    if (kind === 'write') {
      return {
        ...timing,
        input: { type: 'write', value: a },
        output: { type: 'write' },
      };
    }
    return {
      ...timing,
      input: { type: 'cas', from: a, to: b },
      output: { type: 'cas', ok },
    };
  });

describe('checkOperations() properties', () => {
  it('accepts every sequential history, unknown outcomes included', () => {
    fc.assert(
      fc.property(fc.array(planArb, { maxLength: 30 }), (plans) => {
        const ops = execute(plans, true);
        for (const partition of [true, false]) {
          const result = checkOperations(casKvModel, ops, { partition });
          expect(result.verdict).toBe('linearizable');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('accepts every concurrent history of an atomic store', () => {
    fc.assert(
      fc.property(fc.array(planArb, { maxLength: 24 }), (plans) => {
        const ops = execute(plans, false);
        expect(checkOperations(casKvModel, ops).verdict).toBe('linearizable');
      }),
      { numRuns: 150 },
    );
  });

  it('never accepts a read of a value nobody wrote', () => {
    const arb = fc.record({
      plans: fc.array(planArb, { maxLength: 16 }),
      key: fc.constantFrom('a', 'b', 'c'),
      call: fc.integer({ min: 0, max: 50 }),
      duration: fc.integer({ min: 0, max: 10 }),
    });
    fc.assert(
      fc.property(arb, ({ plans, key, call, duration }) => {
        const ghost: CasKvOp = {
          client: -1,
          input: { type: 'read', key },
          call,
          return: call + duration,
          output: { type: 'read', value: 'never-written' },
        };
        const ops = [...execute(plans, false), ghost];
        const result = checkOperations(casKvModel, ops);
        expect(result.verdict).toBe('not-linearizable');
        expect(result.failing).toContain(ghost);
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with a brute-force search on small register histories', () => {
    let linearizable = 0;
    fc.assert(
      fc.property(
        fc.array(randomRegisterOpArb, { minLength: 1, maxLength: 7 }),
        (ops) => {
          const expected = bruteForce(ops);
          linearizable += expected ? 1 : 0;
          const { verdict } = checkOperations(registerModel, ops);
          expect(verdict).toBe(expected ? 'linearizable' : 'not-linearizable');
        },
      ),
      { numRuns: 1000 },
    );
    // the comparison means little unless both answers come up
    expect(linearizable).toBeGreaterThan(50);
    expect(linearizable).toBeLessThan(950);
  });

  it('gives the same verdict key by key as on the whole history', () => {
    const keyed = fc.tuple(randomRegisterOpArb, fc.constantFrom('a', 'b'));
    fc.assert(
      fc.property(fc.array(keyed, { maxLength: 10 }), (pairs) => {
        const ops = pairs.map(
          ([op, key]) => ({ ...op, input: { ...op.input, key } }) as CasKvOp,
        );
        const split = checkOperations(casKvModel, ops);
        const whole = checkOperations(casKvModel, ops, { partition: false });
        expect(split.verdict).toBe(whole.verdict);
      }),
      { numRuns: 300 },
    );
  });
});
