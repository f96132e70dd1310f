// A 3-member etcd 3.4 cluster on loopback, started with exactly the flags
// of reference/baselines.md (all else default: fsync on, heartbeat 100 ms,
// election timeout 1000 ms), each member in its own data dir.
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { JsonEndpoint } from './http-json';
import {
  exitsWithin,
  freePorts,
  spawnGroup,
  stopGroup,
  waitUntil,
  type Managed,
} from './processes';
import type { FailoverPlan, SystemUnderTest } from './system';

interface Member {
  name: string;
  clientPort: number;
  peerPort: number;
  process?: Managed;
  api: JsonEndpoint;
}

interface Status {
  header?: { member_id?: string };
  leader?: string;
}

const START_TIMEOUT_MS = 30_000;

/** Starts e1..e3 under `dir` and waits until they agree on a leader. */
export async function startEtcd(
  binary: string,
  dir: string,
): Promise<SystemUnderTest> {
  await mkdir(dir, { recursive: true });
  const ports = await freePorts(6);
  const members: Member[] = [1, 2, 3].map((n) => ({
    name: `e${n}`,
    clientPort: ports[n - 1]!,
    peerPort: ports[n + 2]!,
    api: new JsonEndpoint('127.0.0.1', ports[n - 1]!, 4),
  }));
  const cluster = members
    .map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`)
    .join(',');
  const version = execFileSync(binary, ['--version'], { encoding: 'utf8' })
    .split('\n')[0]!
    .replace('etcd Version: ', '');
  let killed: Member | undefined;
  let isStopped = false;

  const launch = (member: Member, state: 'new' | 'existing') => {
    const client = `http://127.0.0.1:${member.clientPort}`;
    const peer = `http://127.0.0.1:${member.peerPort}`;
    member.process = spawnGroup(
      binary,
      [
        ...['--name', member.name],
        ...['--data-dir', join(dir, `${member.name}.data`)],
        ...['--listen-client-urls', client, '--advertise-client-urls', client],
        ...['--listen-peer-urls', peer, '--initial-advertise-peer-urls', peer],
        ...['--initial-cluster', cluster],
        ...['--initial-cluster-token', 'bench-cluster'],
        ...['--initial-cluster-state', state],
      ],
      { logFile: join(dir, `${member.name}.log`) },
    );
  };

  const status = (member: Member) =>
    member.api.call('/v3/maintenance/status', {}, 2000) as Promise<Status>;

  // whole: every member answers, and all name the same elected leader
  const isWhole = async () => {
    const all = await Promise.all(members.map(status));
    const leader = all[0]?.leader;
    return (
      leader !== undefined &&
      leader !== '0' &&
      all.every((one) => one.leader === leader)
    );
  };

  const leaderMember = async (): Promise<Member> => {
    const all = await Promise.all(members.map(status));
    const leader = all.find((one) => one.leader !== '0')?.leader;
    const index = all.findIndex((one) => one.header?.member_id === leader);
    if (index < 0) {
      throw new Error('etcd: no member is the leader');
    }
    return members[index]!;
  };

  members.forEach((member) => launch(member, 'new'));
  const endpoints = members.map((m) => `127.0.0.1:${m.clientPort}`);
  const system: SystemUnderTest = {
    name: 'etcd',
    label: `etcd ${version}`,
    durability: 'fsync on a quorum before ack (default)',
    access:
      'JSON gateway over HTTP keep-alive: /v3/kv/put; watch = /v3/watch ' +
      'of the prefix from revision 1; failover = SIGKILL of the leader',
    async writeTarget(clients) {
      if (clients > 1) {
        return { system: 'etcd', endpoints };
      }
      const leader = await leaderMember();
      return { system: 'etcd', endpoints: [`127.0.0.1:${leader.clientPort}`] };
    },
    watchTarget: async () => ({ system: 'etcd', endpoints }),
    async failoverPlan(): Promise<FailoverPlan> {
      const leader = await leaderMember();
      const survivor = members.find((m) => m !== leader)!;
      killed = leader;
      return {
        kill: { pid: leader.process!.pid },
        target: {
          system: 'etcd',
          endpoints: [`127.0.0.1:${survivor.clientPort}`],
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
      launch(victim, 'existing');
      await waitUntil(isWhole, START_TIMEOUT_MS, 'etcd to be whole again');
    },
    serverPids: () => members.map((m) => m.process?.pid ?? -1),
    async stop() {
      if (isStopped) {
        return;
      }
      isStopped = true;
      await Promise.all(
        members.map(async (member) => {
          member.api.close();
          if (member.process) {
            await stopGroup(member.process);
          }
        }),
      );
    },
  };
  try {
    await waitUntil(isWhole, START_TIMEOUT_MS, 'etcd to elect a leader');
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}
