// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { ElectionSafety } from '../../../../engine/sim/invariants/election-safety';

describe('ElectionSafety', () => {
  it('flags two leaders in one term', () => {
    const failures: string[] = [];
    const check = new ElectionSafety((f) => failures.push(f));
    check.observeLeader(2, 1);
    check.observeLeader(2, 1);
    check.observeLeader(3, 2);
    expect(failures).toEqual([]);

    check.observeLeader(2, 3);
    expect(failures).toEqual([
      'election safety: n1 and n3 both leader in term 2',
    ]);
    expect(check.leaderOf(3)).toBe(2);
  });
});
