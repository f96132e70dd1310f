import { describe, expect, it } from 'vitest';

import { parseExitLine } from '../../../renderer/src/lib/attempt-meta';

describe('parseExitLine()', () => {
  it('reads the code, verdict and duration of an exit line', () => {
    expect(parseExitLine('■ succeeded · exit 0 · 12 ms\n')).toMatchObject({
      code: 0,
      isOk: true,
      durationMs: 12,
    });
    expect(parseExitLine('■ retry · exit 75 · 3 ms')).toMatchObject({
      code: 75,
      isOk: false,
    });
    expect(
      parseExitLine('■ aborted · no exit code · timed out · 2000 ms'),
    ).toMatchObject({
      code: null,
      isOk: false,
      durationMs: 2000,
    });
  });

  it('ignores a line that is not about an exit', () => {
    expect(
      parseExitLine('▶ hook · event 2.0 · attempt 1 · node 3'),
    ).toBeUndefined();
  });
});
