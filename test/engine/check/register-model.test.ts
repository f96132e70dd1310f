// @vitest-environment node
import { describe, expect, it } from 'vitest';

import {
  describeRegisterOperation,
  registerModel,
  stepRegister,
} from '../../../engine/check/register-model';

describe('stepRegister()', () => {
  it('allows a read only of the value held, or any value when unknown', () => {
    expect(
      stepRegister(3, { type: 'read' }, { type: 'read', value: 3 }),
    ).toEqual([3]);
    expect(
      stepRegister(3, { type: 'read' }, { type: 'read', value: 4 }),
    ).toEqual([]);
    expect(stepRegister(3, { type: 'read' }, undefined)).toEqual([3]);
  });

  it('tells the number 1 from the string "1"', () => {
    expect(
      stepRegister(1, { type: 'read' }, { type: 'read', value: '1' }),
    ).toEqual([]);
  });

  it('writes whatever the outcome', () => {
    const input = { type: 'write', value: 5 } as const;
    expect(stepRegister(null, input, { type: 'write' })).toEqual([5]);
    expect(stepRegister(null, input, undefined)).toEqual([5]);
  });

  it('swaps only on a match, and rejects an outcome that contradicts it', () => {
    const input = { type: 'cas', from: 1, to: 2 } as const;
    expect(stepRegister(1, input, { type: 'cas', ok: true })).toEqual([2]);
    expect(stepRegister(3, input, { type: 'cas', ok: true })).toEqual([]);
    expect(stepRegister(3, input, { type: 'cas', ok: false })).toEqual([3]);
    expect(stepRegister(1, input, { type: 'cas', ok: false })).toEqual([]);
    expect(stepRegister(1, input, undefined)).toEqual([2]);
    expect(stepRegister(3, input, undefined)).toEqual([3]);
  });

  it('treats an output of another operation type as impossible', () => {
    expect(stepRegister(1, { type: 'read' }, { type: 'write' })).toEqual([]);
  });
});

describe('registerModel', () => {
  it('starts empty and hashes values by type', () => {
    expect(registerModel.init()).toBeNull();
    expect(registerModel.hash(1)).not.toBe(registerModel.hash('1'));
  });

  it('describes operations the way Jepsen logs them', () => {
    expect(
      describeRegisterOperation(
        { type: 'cas', from: 1, to: null },
        {
          type: 'cas',
          ok: false,
        },
      ),
    ).toBe('cas 1 nil -> fail');
    expect(describeRegisterOperation({ type: 'read' }, undefined)).toBe(
      'read -> ?',
    );
  });
});
