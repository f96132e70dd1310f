// The load generator: a process of its own for every run, talking to the
// system over loopback (DESIGN §7). It takes one job over IPC, runs it, and
// sends back one reply: latencies, counts, its own CPU, or a failover time.
import { aspenDriver } from './drivers/aspen-driver';
import { describe, type Driver } from './drivers/driver';
import { etcdDriver } from './drivers/etcd-driver';
import { natsDriver } from './drivers/nats-driver';
import {
  PROBE_INTERVAL_MS,
  PROBE_TIMEOUT_MS,
  type FailoverJob,
  type FailoverResult,
  type Job,
  type JobReply,
  type JobResult,
  type Target,
  type WriteJob,
  type WriteResult,
} from './jobs';

async function openDriver(target: Target, clients: number): Promise<Driver> {
  switch (target.system) {
    case 'etcd':
      return etcdDriver(target.endpoints, clients);
    case 'nats':
      return natsDriver(target.servers);
    case 'aspen':
      return aspenDriver({ ...target, connections: clients });
  }
}

/** N clients, each writing one at a time, sharing one counter. */
async function clientLoops(
  clients: number,
  body: (client: number) => Promise<void>,
): Promise<void> {
  await Promise.all(Array.from({ length: clients }, (_, c) => body(c)));
}

async function runWrites(driver: Driver, job: WriteJob): Promise<WriteResult> {
  let seq = 0;
  await clientLoops(job.clients, async (client) => {
    while (seq < job.warmup) {
      await driver.write(client, 'warm', seq++);
    }
  });

  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + job.capMs;
  await clientLoops(job.clients, async (client) => {
    while (started < job.total && performance.now() < deadline) {
      started += 1;
      const begin = performance.now();
      try {
        await driver.write(client, job.phase, seq++);
        latencies.push(performance.now() - begin);
      } catch (error) {
        errors += 1;
        firstError ??= describe(error);
      }
    }
  });
  const wallMs = performance.now() - t0;
  const used = process.cpuUsage(cpu);
  return {
    op: 'write',
    ok: latencies.length,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    wallMs,
    latencies,
    clientCpuMs: (used.user + used.system) / 1000,
  };
}

/**
 * Warms the connection to a survivor, kills the leader and starts the
 * clock; from then a new write goes out every 25 ms, each with its own 5 s
 * bound, until the first is acknowledged (reference/baselines.md).
 */
async function runFailover(
  driver: Driver,
  job: FailoverJob,
): Promise<FailoverResult> {
  let seq = 0;
  await driver.write(0, 'failover', seq++, PROBE_TIMEOUT_MS);
  const t0 = performance.now();
  if ('pid' in job.kill) {
    process.kill(job.kill.pid, 'SIGKILL');
  } else {
    // our kill is a request the server handles in turn; probing starts once
    // it answered, so no probe can be served by the old leader, and the
    // clock, started before the request, counts the kill's own time too
    await driver.killNode!(job.kill.node);
  }
  let failedProbes = 0;
  let firstError: string | undefined;
  return new Promise((resolve) => {
    let isDone = false;
    const end = (ms: number | null) => {
      isDone = true;
      clearInterval(interval);
      clearTimeout(cap);
      const error = firstError === undefined ? {} : { firstError };
      resolve({ op: 'failover', ms, failedProbes, ...error });
    };
    const probe = () => {
      driver.write(0, 'failover', seq++, PROBE_TIMEOUT_MS).then(
        () => !isDone && end(performance.now() - t0),
        (error: unknown) => {
          failedProbes += 1;
          firstError ??= describe(error);
        },
      );
    };
    const interval = setInterval(probe, PROBE_INTERVAL_MS);
    const cap = setTimeout(() => end(null), job.capMs);
    probe();
  });
}

async function run(job: Job): Promise<JobResult> {
  const connections = job.op === 'write' ? job.clients : Infinity;
  const driver = await openDriver(job.target, connections);
  try {
    switch (job.op) {
      case 'write':
        return await runWrites(driver, job);
      case 'watch': {
        const seen = await driver.watch(job.phase, job.expect, job.capMs);
        return { op: 'watch', ...seen };
      }
      case 'failover':
        return await runFailover(driver, job);
    }
  } finally {
    await driver.close().catch(() => {});
  }
}

// an orchestrator that died cannot take a reply; nothing should outlive it
process.once('disconnect', () => process.exit(1));

process.once('message', (job: Job) => {
  run(job).then(
    (result) => reply({ ok: true, result }),
    (error: unknown) => reply({ ok: false, error: describe(error) }),
  );
});

function reply(message: JobReply): void {
  process.send!(message, () => process.exit(0));
}
