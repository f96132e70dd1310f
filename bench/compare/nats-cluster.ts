// A 3-server NATS 2.9 JetStream cluster on loopback with the configs of
// reference/baselines.md, and the R3 file-backed stream every write lands
// in. nats-server 2.9 acknowledges a publish once a quorum stored it,
// without fsync (its file store flushes on a background interval).
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  jetstreamManager,
  type JetStreamManager,
  type StreamInfo,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';

import { STREAM } from './drivers/nats-driver';
import {
  exitsWithin,
  freePorts,
  spawnGroup,
  stopGroup,
  waitUntil,
  type Managed,
} from './processes';
import type { FailoverPlan, SystemUnderTest } from './system';

interface Server {
  name: string;
  clientPort: number;
  routePort: number;
  config: string;
  process?: Managed;
}

// JetStream's meta group elects its own leader before a stream can exist
const START_TIMEOUT_MS = 60_000;

function configOf(server: Server, routes: string, storeDir: string): string {
  return [
    `server_name: ${server.name}`,
    `listen: 127.0.0.1:${server.clientPort}`,
    'jetstream {',
    `  store_dir: "${storeDir}"`,
    '}',
    'cluster {',
    '  name: bench',
    `  listen: 127.0.0.1:${server.routePort}`,
    `  routes: [ ${routes} ]`,
    '}',
    '',
  ].join('\n');
}

/** Starts n1..n3 under `dir`, then creates the stream `BENCH` (R3, file). */
export async function startNats(
  binary: string,
  dir: string,
): Promise<SystemUnderTest> {
  await mkdir(dir, { recursive: true });
  const ports = await freePorts(6);
  const servers: Server[] = [1, 2, 3].map((n) => ({
    name: `n${n}`,
    clientPort: ports[n - 1]!,
    routePort: ports[n + 2]!,
    config: join(dir, `n${n}.conf`),
  }));
  const routes = servers
    .map((s) => `nats-route://127.0.0.1:${s.routePort}`)
    .join(', ');
  for (const server of servers) {
    const store = join(dir, `${server.name}.store`);
    await writeFile(server.config, configOf(server, routes, store));
  }
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' })
    .trim()
    .replace('nats-server: ', '');
  const addresses = servers.map((s) => `127.0.0.1:${s.clientPort}`);
  let admin: NatsConnection | undefined;
  let jsm: JetStreamManager | undefined;
  let killed: Server | undefined;
  let isStopped = false;

  const launch = (server: Server) => {
    server.process = spawnGroup(binary, ['-c', server.config], {
      logFile: join(dir, `${server.name}.log`),
    });
  };

  const info = (): Promise<StreamInfo> => jsm!.streams.info(STREAM);

  // whole: a stream leader and both replicas current
  const isWhole = async () => {
    const cluster = (await info()).cluster;
    const replicas = cluster?.replicas ?? [];
    return (
      cluster?.leader !== undefined &&
      replicas.length === 2 &&
      replicas.every((replica) => replica.current)
    );
  };

  const leaderServer = async (): Promise<Server> => {
    const leader = (await info()).cluster?.leader;
    const server = servers.find((s) => s.name === leader);
    if (server === undefined) {
      throw new Error('nats: the stream has no leader');
    }
    return server;
  };

  const system: SystemUnderTest = {
    name: 'nats',
    label: `NATS JetStream ${version}`,
    durability: 'stored on a quorum, no fsync (2.9 has no sync option)',
    access:
      '@nats-io/jetstream client: publish awaiting its PubAck; watch = ' +
      'ordered consumer from the start; failover = SIGKILL of the ' +
      "stream leader's server",
    async writeTarget(clients) {
      if (clients > 1) {
        return { system: 'nats', servers: addresses };
      }
      const leader = await leaderServer();
      return { system: 'nats', servers: [`127.0.0.1:${leader.clientPort}`] };
    },
    watchTarget: async () => ({ system: 'nats', servers: addresses }),
    async failoverPlan(): Promise<FailoverPlan> {
      const leader = await leaderServer();
      const survivor = servers.find((s) => s !== leader)!;
      killed = leader;
      return {
        kill: { pid: leader.process!.pid },
        target: {
          system: 'nats',
          servers: [`127.0.0.1:${survivor.clientPort}`],
        },
        victim: leader.name,
      };
    },
    async recover() {
      if (killed === undefined) {
        return;
      }
      const victim = killed;
      killed = undefined;
      // a trial that failed before its kill leaves the leader running
      if (victim.process && !(await exitsWithin(victim.process, 3000))) {
        return;
      }
      launch(victim);
      await waitUntil(isWhole, START_TIMEOUT_MS, 'the stream to be whole');
    },
    serverPids: () => servers.map((s) => s.process?.pid ?? -1),
    async stop() {
      if (isStopped) {
        return;
      }
      isStopped = true;
      await admin?.close().catch(() => {});
      await Promise.all(
        servers.map((s) => (s.process ? stopGroup(s.process) : undefined)),
      );
    },
  };

  servers.forEach(launch);
  try {
    admin = await connectAdmin(addresses);
    await waitUntil(
      async () => {
        // the manager's first request fails until the meta group has a leader
        jsm ??= await jetstreamManager(admin!, { timeout: 5000 });
        await jsm.streams.add({
          name: STREAM,
          subjects: ['bench.>'],
          num_replicas: 3,
          storage: 'file',
        } as Parameters<JetStreamManager['streams']['add']>[0]);
        return true;
      },
      START_TIMEOUT_MS,
      'JetStream to create the R3 stream',
    );
    await waitUntil(isWhole, START_TIMEOUT_MS, 'the stream to be whole');
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}

/** An admin connection that follows the cluster through kills. */
async function connectAdmin(addresses: string[]): Promise<NatsConnection> {
  let connection: NatsConnection | undefined;
  await waitUntil(
    async () => {
      connection = await connect({
        servers: addresses,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 100,
      });
      return true;
    },
    START_TIMEOUT_MS,
    'a nats-server to accept connections',
  );
  return connection!;
}
