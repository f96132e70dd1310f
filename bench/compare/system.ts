// What the orchestrator needs of each running cluster, whichever system it
// is: where to send load, whom to kill, how to bring it back, how to stop.
import type { FailoverJob, SystemName, Target } from './jobs';

/** A failover trial's plan: the leader to kill, a survivor to write to. */
export interface FailoverPlan {
  kill: FailoverJob['kill'];
  target: Target;
  /** Who was killed, for the log line (`e2`, `n3`, `node 1`). */
  victim: string;
}

/** A 3-member cluster of one system, started and owned by the benchmark. */
export interface SystemUnderTest {
  readonly name: SystemName;
  /** Name and version as printed, e.g. `etcd 3.4.23`. */
  readonly label: string;
  /** What an acknowledged write means for this system. */
  readonly durability: string;
  /** How the load reaches it, for the table's notes. */
  readonly access: string;
  /**
   * Where `clients` clients send writes: one client goes to the leader
   * (as the baselines did), more spread over every member.
   */
  writeTarget(clients: number): Promise<Target>;
  watchTarget(): Promise<Target>;
  failoverPlan(): Promise<FailoverPlan>;
  /** Restarts what the last trial killed and waits until it is whole. */
  recover(): Promise<void>;
  /** Server processes, for CPU accounting. */
  serverPids(): number[];
  /** Stops every process and removes the data; idempotent. */
  stop(): Promise<void>;
}
