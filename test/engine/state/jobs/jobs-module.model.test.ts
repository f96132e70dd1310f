// @vitest-environment node
import fc from 'fast-check';
import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';

import { jobCommands } from './jobs-commands';
import { JobsModel, Replicas } from './jobs-model';

describe('JobsModule (model-based)', () => {
  it('matches a plain model and survives a snapshot mid-sequence', () => {
    fc.assert(
      fc.property(
        fc.commands(jobCommands, { maxCommands: 60, size: 'max' }),
        fc.nat(),
        (commands, seed) => {
          const count = [...commands].length;
          const replicas = new Replicas(1 + (seed % Math.max(1, count)));
          const model = new JobsModel();
          fc.modelRun(() => ({ model, real: replicas }), commands);
          replicas.check(model);

          // the restored replica ends byte for byte where the other does
          const { a, b } = replicas;
          expect(pack(b.jobs.snapshot())).toEqual(pack(a.jobs.snapshot()));
          expect(b.ctx.events).toEqual(a.ctx.events);
          expect(b.ctx.pins).toEqual(a.ctx.pins);
        },
      ),
      { numRuns: 70 },
    );
  });
});
