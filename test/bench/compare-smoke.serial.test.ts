/**
 * @vitest-environment node
 */
// The comparison harness starts each system, gets a few acknowledged
// writes through a load-generator process, and stops it without leaving a
// process behind. It asserts no figures: a benchmark is not a timed test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startAspen } from '../../bench/compare/aspen-cluster';
import { startEtcd } from '../../bench/compare/etcd-cluster';
import type { WriteResult } from '../../bench/compare/jobs';
import { startNats } from '../../bench/compare/nats-cluster';
import { findBinary } from '../../bench/compare/processes';
import { runJob } from '../../bench/compare/run-job';
import type { SystemUnderTest } from '../../bench/compare/system';

const ROOT = resolve(__dirname, '../..');
const etcdBinary = findBinary('etcd', 'ETCD_BIN');
const natsBinary = findBinary('nats-server', 'NATS_SERVER');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function writeAndStop(system: SystemUnderTest, dir: string) {
  const pids = system.serverPids();
  try {
    const result = await runJob<WriteResult>(
      {
        op: 'write',
        target: await system.writeTarget(4),
        clients: 4,
        total: 40,
        warmup: 4,
        phase: 'smoke',
        capMs: 20_000,
      },
      { logFile: join(dir, 'load.log'), cwd: ROOT, timeoutMs: 40_000 },
    );
    expect(result.errors).toBe(0);
    expect(result.ok).toBe(40);
  } finally {
    await system.stop();
  }
  expect(pids.filter(isRunning)).toEqual([]);
}

describe('bench:compare harness', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aspen-compare-smoke-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts ours, writes through the API and stops it', async () => {
    const system = await startAspen({
      root: ROOT,
      dir: join(dir, 'aspen'),
      carrier: 'http',
    });
    await writeAndStop(system, join(dir, 'aspen'));
  });

  it.skipIf(etcdBinary === undefined)(
    'starts etcd, writes through its gateway and stops it',
    async () => {
      const system = await startEtcd(etcdBinary!, join(dir, 'etcd'));
      await writeAndStop(system, join(dir, 'etcd'));
    },
  );

  it.skipIf(natsBinary === undefined)(
    'starts NATS with the R3 stream, publishes and stops it',
    async () => {
      const system = await startNats(natsBinary!, join(dir, 'nats'));
      await writeAndStop(system, join(dir, 'nats'));
    },
  );
});
