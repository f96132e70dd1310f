// @vitest-environment node
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compareFidelity } from '../../../../engine/hooks/fidelity/compare';
import type { HookTally } from '../../../../engine/hooks/fidelity/fidelity-tally';
import type { KvBatchOp } from '../../../../engine/state/commands';
import { scaled } from '../../../support/time-scale';
import { hooksToml } from '../dispatch/hook-cluster';

import {
  findingsOf,
  hookOf,
  makeWorkspace,
  type FidelityWorkspace,
} from './fidelity-workspace';

// `wait` polls for the marker of its event, `make` creates it. The
// marker is named after the whole HookEvent, node_id and timestamp
// included: production runs both hooks on every node, and each run of
// the comparison has its own events.
const MARKER_SCRIPT = `#!/bin/sh
key=$(printf '%s' "$ASPEN_HOOK_EVENT" | cksum | cut -d ' ' -f 1)
marker="$(dirname "$0")/marker-$key"
if [ "$1" = make ]; then
  : > "$marker"
  exit 0
fi
while [ ! -e "$marker" ]; do sleep 0.02; done
`;

const BURST = 40;

const SEQUENCE = `
[[hooks.handlers]]
name = "waits-for-marker"
pattern = "hooks.kv.delete_committed"
type = "shell"
command = "SCRIPT wait"
timeout_ms = 3000

[[hooks.handlers]]
name = "writes-marker"
pattern = "hooks.kv.delete_committed"
type = "shell"
command = "SCRIPT make"
`;

const QUEUED = `
[[hooks.handlers]]
name = "queued"
pattern = "hooks.kv.write_committed"
type = "in_process"
handler_id = "noop"
studio_queue_bound = 100
`;

// direct handlers of one event in sequence, and the 32 slots taken
// without waiting: both hold under the studio's concurrent, queued
// dispatch and break under production's. Separate runs, since the
// slots are shared by every hook of a node.
describe('compareFidelity()', () => {
  let workspace: FidelityWorkspace;

  beforeAll(async () => {
    workspace = await makeWorkspace();
  });

  afterAll(async () => {
    await workspace?.remove();
  });

  it('direct handlers run in sequence: "a hook sees what another hook of the same event writes" passes in studio mode and fails in production mode', async () => {
    const script = join(workspace.dir, 'bin', 'marker.sh');
    await mkdir(join(workspace.dir, 'bin'));
    await writeFile(script, MARKER_SCRIPT);
    await chmod(script, 0o755);
    const comparison = await compareFidelity({
      configText: hooksToml(SEQUENCE.replaceAll('SCRIPT', script)),
      workspaceDir: workspace.dir,
      settleTimeoutMs: scaled(20_000),
      steps: [
        { type: 'kv_put', key: 'k', value: '1' },
        { type: 'kv_delete', key: 'k' },
      ],
    });

    const sees = (t: HookTally) =>
      t.outcomes.succeeded > 0 && t.outcomes.timedOut === 0;
    const hook = hookOf(comparison.hooks, 'waits-for-marker');
    expect(sees(hook.studio)).toBe(true);
    expect(sees(hook.production)).toBe(false);
    expect(hook.production.outcomes.timedOut).toBe(3);
    expect(findingsOf(hook)).toContain('sequential-dispatch');
  });

  it('the 32-slot try-acquire drops: "a burst of 40 writes runs the hook 40 times" passes in studio mode and fails in production mode', async () => {
    // one entry, one event per key: every delivery is made at once
    const ops: KvBatchOp[] = Array.from({ length: BURST }, (_, i) => ({
      op: 'put',
      key: `burst/${i}`,
      value: String(i),
    }));
    const comparison = await compareFidelity({
      configText: hooksToml(QUEUED),
      workspaceDir: workspace.dir,
      settleTimeoutMs: scaled(20_000),
      steps: [{ type: 'kv_batch', ops }],
    });

    const runsAll = (t: HookTally) =>
      t.events === BURST &&
      t.outcomes.succeeded === t.executions &&
      t.outcomes.dropped === 0;
    const hook = hookOf(comparison.hooks, 'queued');
    expect(runsAll(hook.studio)).toBe(true);
    expect(runsAll(hook.production)).toBe(false);
    // every node takes 32 slots and drops the other 8
    expect(hook.production.dropReasons).toEqual({ saturated: 3 * 8 });
    expect(hook.production.outcomes.succeeded).toBe(3 * 32);
    const drops = hook.differences.find((d) => d.kind === 'drops');
    expect(drops).toMatchObject({
      finding: 'studio-keys-ignored',
      isReported: true,
    });
  });
});
