// @vitest-environment node
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { WorkerPool } from '../../../../engine/hooks/in-process/worker-pool';

const MODULE = join(process.cwd(), 'test/fixtures/handlers/behaviours.mjs');

describe('WorkerPool', () => {
  let pool: WorkerPool | undefined;

  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('runs the handler off the main thread and returns its value', async () => {
    pool = new WorkerPool({ modulePath: MODULE });
    const outcome = await pool.run({ do: 'double', value: 21 });
    expect(outcome).toEqual({ status: 'succeeded', value: 42 });
  });

  it('reports a throwing handler as a failed attempt', async () => {
    pool = new WorkerPool({ modulePath: MODULE });
    expect(await pool.run({ do: 'throw' })).toEqual({
      status: 'failed',
      reason: 'threw',
      message: 'TypeError: bad payload',
    });
  });

  it('terminates and replaces a worker stuck in a loop at the timeout', async () => {
    pool = new WorkerPool({ modulePath: MODULE, size: 1 });
    const hung = await pool.run({ do: 'hang' }, { timeoutMs: 200 });
    expect(hung).toMatchObject({ status: 'failed', reason: 'timeout' });
    const next = await pool.run({ do: 'double', value: 2 });
    expect(next).toEqual({ status: 'succeeded', value: 4 });
  });

  it('survives a handler that exits its worker', async () => {
    pool = new WorkerPool({ modulePath: MODULE, size: 1 });
    const crashed = await pool.run({ do: 'exit' });
    expect(crashed).toMatchObject({ status: 'failed', reason: 'crashed' });
    expect(await pool.run({ do: 'double', value: 5 })).toMatchObject({
      value: 10,
    });
  });

  it('contains a handler that runs out of memory', async () => {
    pool = new WorkerPool({
      modulePath: MODULE,
      size: 1,
      resourceLimits: { maxOldGenerationSizeMb: 32 },
    });
    const outcome = await pool.run({ do: 'oom' }, { timeoutMs: 20_000 });
    expect(outcome).toMatchObject({ status: 'failed', reason: 'crashed' });
    expect(await pool.run({ do: 'double', value: 1 })).toMatchObject({
      value: 2,
    });
  });

  it('passes nak with its delay and term through the context', async () => {
    pool = new WorkerPool({ modulePath: MODULE });
    expect(await pool.run({ do: 'nak' })).toEqual({
      status: 'retry',
      message: 'downstream busy',
      delayMs: 250,
    });
    expect(await pool.run({ do: 'term' })).toEqual({
      status: 'terminal',
      message: 'payload can never succeed',
    });
  });

  it('reports in-progress calls while the attempt runs', async () => {
    pool = new WorkerPool({ modulePath: MODULE });
    let progress = 0;
    const outcome = await pool.run(
      { do: 'progress' },
      { onProgress: () => (progress += 1) },
    );
    expect(outcome).toEqual({ status: 'succeeded', value: 'done' });
    expect(progress).toBe(2);
  });

  it('runs one attempt per worker at a time and queues the rest', async () => {
    pool = new WorkerPool({ modulePath: MODULE, size: 1 });
    const results = await Promise.all(
      [1, 2, 3].map(() => pool!.run({ do: 'calls' })),
    );
    expect(results.map((r) => (r as { value: number }).value)).toEqual([
      1, 2, 3,
    ]);
  });

  it('loads the module afresh after reload()', async () => {
    pool = new WorkerPool({ modulePath: MODULE, size: 1 });
    await pool.run({ do: 'calls' });
    await pool.run({ do: 'calls' });
    await pool.reload();
    expect(await pool.run({ do: 'calls' })).toEqual({
      status: 'succeeded',
      value: 1,
    });
  });

  it('keeps the service objects out of the handler', async () => {
    (globalThis as Record<string, unknown>).__studioSecret = 'x';
    pool = new WorkerPool({ modulePath: MODULE });
    expect(await pool.run({ do: 'globals' })).toEqual({
      status: 'succeeded',
      value: 'undefined',
    });
  });

  it('fails clearly when the module has no handler function', async () => {
    pool = new WorkerPool({
      modulePath: join(process.cwd(), 'test/fixtures/handlers/no-default.mjs'),
    });
    const outcome = await pool.run({});
    expect(outcome).toMatchObject({ status: 'failed', reason: 'threw' });
    expect((outcome as { message: string }).message).toMatch(
      /must export a default function/,
    );
  });
});
