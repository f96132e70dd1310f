// @vitest-environment node
import { describe, expect, it } from 'vitest';

import { StateAgreement } from '../../../../engine/sim/invariants/state-agreement';

describe('StateAgreement', () => {
  it('flags two replicas with different states at one applied index', () => {
    const failures: string[] = [];
    const check = new StateAgreement((f) => failures.push(f));
    check.observe(1, 5, 'aa');
    check.observe(2, 5, 'aa');
    check.observe(2, 6, 'bb');
    expect(failures).toEqual([]);

    check.observe(3, 6, 'cc');
    expect(failures).toEqual([
      'state agreement: n3 and n2 differ after applying index 6',
    ]);
  });
});
