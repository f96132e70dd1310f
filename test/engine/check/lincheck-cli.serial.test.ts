// @vitest-environment node
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

// scripts/lincheck.ts, run the way `npm run lincheck` will run it
const VECTORS = path.resolve(
  process.cwd(),
  '../shared/testdata/linearizability',
);
const LINEARIZABLE_LOG = path.join(VECTORS, 'jepsen-etcd/etcd_002.log');
const BROKEN_LOG = path.join(VECTORS, 'jepsen-etcd/etcd_000.log');
const LINEARIZABLE_KV = path.join(VECTORS, 'kv/c01-ok.txt');

const scratch = mkdtempSync(path.join(tmpdir(), 'lincheck-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function lincheck(...args: string[]) {
  const run = spawnSync('npx', ['tsx', 'scripts/lincheck.ts', ...args], {
    encoding: 'utf8',
    timeout: 50_000,
  });
  return {
    status: run.status,
    lines: run.stdout.trimEnd().split('\n'),
    stderr: run.stderr,
  };
}

describe('lincheck', () => {
  it('prints one verdict per file and exits 0 when all are linearizable', () => {
    const run = lincheck(LINEARIZABLE_LOG, LINEARIZABLE_KV);
    expect(run.lines).toEqual([
      `${LINEARIZABLE_LOG}  linearizable`,
      `${LINEARIZABLE_KV}  linearizable`,
    ]);
    expect(run.status).toBe(0);
  });

  it('exits 1 when a file is not linearizable or runs out of budget', () => {
    const broken = lincheck('--explain', BROKEN_LOG, LINEARIZABLE_KV);
    expect(broken.lines[0]).toBe(`${BROKEN_LOG}  not-linearizable`);
    expect(broken.lines).toContain(
      '  then no pending operation can precede the return of:',
    );
    expect(broken.lines.at(-1)).toBe(`${LINEARIZABLE_KV}  linearizable`);
    expect(broken.status).toBe(1);

    // this file needs some 800 000 search steps, far beyond a microsecond
    const starved = lincheck('--budget-ms', '0.001', LINEARIZABLE_LOG);
    expect(starved.lines).toEqual([`${LINEARIZABLE_LOG}  unknown`]);
    expect(starved.status).toBe(1);
  });

  it('exits 2 naming the file and line of bad input, after checking the rest', () => {
    const bad = path.join(scratch, 'bad.log');
    writeFileSync(
      bad,
      [
        'INFO  jepsen.util - 0\t:invoke\t:read\tnil',
        'INFO  jepsen.util - 0\t:ok\t:read\tnil',
        'INFO  jepsen.util - 0\t:ok\t:read\tnil',
      ].join('\n'),
    );
    const missing = path.join(scratch, 'missing.txt');

    const run = lincheck(bad, missing, LINEARIZABLE_KV);

    expect(run.stderr).toContain(`${bad}:3: process 0 completes an operation`);
    expect(run.stderr).toContain(`${missing}: `);
    expect(run.lines).toEqual([`${LINEARIZABLE_KV}  linearizable`]);
    expect(run.status).toBe(2);
  });
});
