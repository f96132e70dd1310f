import { ClusterState } from './cluster';
import { decodeEntry } from './envelope';
import { EventLog, DEFAULT_RETENTION, type RetentionLimits } from './events';
import {
  CommandExecutor,
  MODULE_NAMES,
  type AnyStateModule,
  type ModuleName,
} from './executor';
import { KvStore, type KvRecord } from './kv';
import {
  decodeImage,
  encodeImage,
  SNAPSHOT_FORMAT,
  type MachineImage,
  type RejectionImage,
} from './machine-image';
import type {
  ApplyContext,
  EventId,
  StateEvent,
  StoredHooksConfig,
} from './module';
import { errorResult, isErrorResult, type ErrorResult } from './results';
import { DEFAULT_MAX_SESSIONS, SessionTable } from './sessions';
import { StateEmitter } from './state-emitter';
import type { StateMachine } from '../node/state-machine';
import { silentLogger, type Logger } from '../ports/logger';
import type { ConfState, Entry, NodeId } from '../raft/types';
import { AspenError } from '../util/errors';

/** The sub-modules a machine can hold, by the command tag that reaches them. */
export interface StateModules {
  jobs?: AnyStateModule;
  groups?: AnyStateModule;
}

/** Options of {@link AspenStateMachine}; the same on every replica. */
export interface AspenStateMachineOptions {
  /** Durable jobs and consumer groups, when present. */
  modules?: StateModules;
  /** Event retention bounds; unset fields take the defaults. */
  retention?: Partial<RetentionLimits>;
  /** Client sessions kept. @defaultValue 10000 */
  maxSessions?: number;
  /** Membership before any `config` entry (the cluster's initial one). */
  initialConf?: ConfState;
  logger?: Logger;
}

/** What one applied entry did, as {@link AspenStateMachine.onApplied} tells. */
export interface AppliedEntry {
  index: number;
  term: number;
  /** Events the entry appended, in order (possibly already trimmed). */
  events: readonly StateEvent[];
  /** What apply returned. */
  result: unknown;
}

/** A refused entry, kept (the latest {@link MAX_REJECTIONS}) for the studio. */
export interface Rejection {
  index: number;
  code: string;
  message: string;
}

/** Refused entries remembered. */
export const MAX_REJECTIONS = 64;

/**
 * The studio's replicated state machine: KV with TTL, the global event
 * log, client sessions, the stored hooks config, the cluster's leader and
 * membership, and the jobs and groups modules (DESIGN §3.3).
 *
 * Apply reads no clock and no RNG: cluster time is max(previous, the
 * leader's stamp in the entry), and the leader's random draw is handed to
 * modules. An entry that cannot be decoded or applied yields an error
 * result and is recorded in {@link AspenStateMachine.rejections}; the
 * machine keeps applying.
 */
export class AspenStateMachine implements StateMachine {
  private readonly kv = new KvStore();
  private readonly log: EventLog;
  private readonly sessions: SessionTable;
  private readonly cluster: ClusterState;
  private readonly modules: [ModuleName, AnyStateModule][] = [];
  private readonly logger: Logger;
  private readonly emitter: StateEmitter;
  private readonly executor: CommandExecutor;
  private rejected: RejectionImage[] = [];
  private index = 0;
  private term = 0;
  private time = 0;
  private readonly appliedListeners = new Set<(e: AppliedEntry) => void>();
  private readonly restoredListeners = new Set<() => void>();

  constructor(options: AspenStateMachineOptions = {}) {
    this.log = new EventLog({ ...DEFAULT_RETENTION, ...options.retention });
    this.sessions = new SessionTable(
      options.maxSessions ?? DEFAULT_MAX_SESSIONS,
    );
    this.cluster = new ClusterState(
      options.initialConf ?? { voters: [], learners: [] },
    );
    for (const name of MODULE_NAMES) {
      const module = options.modules?.[name];
      if (module !== undefined) {
        this.modules.push([name, module]);
      }
    }
    this.logger = (options.logger ?? silentLogger).child({ scope: 'state' });
    this.emitter = new StateEmitter(this.log, () => this.executor.config);
    this.executor = new CommandExecutor(this.kv, this.emitter, this.modules);
  }

  /** Applies one committed entry; never throws for a bad entry. */
  apply(entry: Entry): unknown {
    let result: unknown;
    let isRetry = false;
    if (entry.type === 'normal') {
      [result, isRetry] = this.applyNormal(entry);
    } else {
      result = this.run(entry, 0, (ctx) =>
        entry.type === 'leader'
          ? this.cluster.applyLeader(entry, ctx.emit)
          : this.cluster.applyConfig(entry, ctx.emit),
      );
    }
    if (isErrorResult(result) && !isRetry) {
      this.reject(entry.index, result);
    }
    this.index = entry.index;
    this.term = entry.term;
    this.log.trim(this.time);

    const events = this.emitter.drain();
    const applied = { index: entry.index, term: entry.term, events, result };
    for (const listener of this.appliedListeners) {
      try {
        listener(applied);
      } catch (error) {
        this.logger.error('applied listener failed', { error: String(error) });
      }
    }
    return result;
  }

  // the result, and whether it is a retry's cached one
  private applyNormal(entry: Entry): [unknown, boolean] {
    // the core never appends empty normal entries; a log from elsewhere may
    if (entry.data.byteLength === 0) {
      return [{ ok: true }, false];
    }
    const decoded = decodeEntry(entry);
    if (!decoded.ok) {
      return [{ ok: false, error: decoded.error } satisfies ErrorResult, false];
    }
    const { time, random, client, seq, cmd } = decoded.envelope;
    this.time = Math.max(this.time, time);
    const execute = (ctx: ApplyContext) => this.executor.execute(cmd, ctx);
    if (client === undefined || seq === undefined) {
      return [this.run(entry, random, execute), false];
    }

    // results are shared with the session table: callers must not mutate
    // them, or this replica's snapshot would differ from the others'
    const seen = this.sessions.check(client, seq);
    if (seen.kind === 'duplicate') {
      return [seen.result, true];
    }
    if (seen.kind === 'expired') {
      return [seen.result, false];
    }
    const result = this.run(entry, random, execute);
    this.sessions.record(client, seq, entry.index, result);
    return [result, false];
  }

  // runs one entry's work, then lets modules observe its events; a throw
  // takes back every event of the entry
  private run(
    entry: Entry,
    random: number,
    body: (ctx: ApplyContext) => unknown,
  ): unknown {
    const ctx = this.emitter.begin(entry, this.time, random);
    try {
      const result = body(ctx);
      this.emitter.observe(this.modules, ctx);
      return result;
    } catch (error) {
      this.emitter.rollback();
      if (error instanceof AspenError) {
        return errorResult(error.code, error.message);
      }
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error('apply failed', { index: entry.index, error: message });
      return errorResult('APPLY_FAILED', `entry ${entry.index}: ${message}`);
    }
  }

  private reject(index: number, result: ErrorResult): void {
    this.rejected.push([index, result.error.code, result.error.message]);
    if (this.rejected.length > MAX_REJECTIONS) {
      this.rejected.shift();
    }
  }

  /** Serialises the whole state as of the last applied entry. */
  snapshot(): Uint8Array {
    const config = this.executor.config;
    const image: MachineImage = {
      format: SNAPSHOT_FORMAT,
      applied: [this.index, this.term],
      time: this.time,
      cluster: this.cluster.snapshot(),
      kv: this.kv.snapshot(),
      sessions: this.sessions.snapshot(),
      events: this.log.snapshot(),
      hooksConfig:
        config === undefined
          ? null
          : [config.version, config.text, config.index],
      rejected: this.rejected.map((r) => [...r] as RejectionImage),
      modules: this.modules.map(([name, module]) => [name, module.snapshot()]),
    };
    return encodeImage(image);
  }

  /**
   * Replaces the whole state with a snapshot's; empty data means the
   * initial state.
   *
   * @throws `UNSUPPORTED_FORMAT` for bytes this build cannot read (the
   *   state is left as it was), `MODULE_MISSING` for a snapshot holding a
   *   module this machine was built without.
   */
  restore(data: Uint8Array): void {
    const image = data.byteLength === 0 ? undefined : decodeImage(data);
    const names = new Set(this.modules.map(([name]) => name));
    for (const [name] of image?.modules ?? []) {
      if (!names.has(name as ModuleName)) {
        const why = `the snapshot holds ${name} state, but this machine has no ${name} module`;
        throw new AspenError('MODULE_MISSING', why);
      }
    }

    [this.index, this.term] = image?.applied ?? [0, 0];
    this.time = image?.time ?? 0;
    this.cluster.restore(image?.cluster);
    this.kv.restore(image?.kv ?? []);
    this.sessions.restore(image?.sessions ?? []);
    this.log.restore(
      image?.events ?? { floor: [0, 0], events: [], aside: [], pins: [] },
    );
    const config = image?.hooksConfig ?? null;
    this.executor.config =
      config === null
        ? undefined
        : { version: config[0], text: config[1], index: config[2] };
    this.rejected = (image?.rejected ?? []).map(
      (r) => [...r] as RejectionImage,
    );
    const saved = new Map(image?.modules ?? []);
    for (const [name, module] of this.modules) {
      module.restore(saved.get(name));
    }

    for (const listener of this.restoredListeners) {
      try {
        listener();
      } catch (error) {
        this.logger.error('restored listener failed', { error: String(error) });
      }
    }
  }

  /** Calls `listener` after every applied entry; returns the unsubscribe. */
  onApplied(listener: (applied: AppliedEntry) => void): () => void {
    this.appliedListeners.add(listener);
    return () => this.appliedListeners.delete(listener);
  }

  /** Calls `listener` after every restore; returns the unsubscribe. */
  onRestored(listener: () => void): () => void {
    this.restoredListeners.add(listener);
    return () => this.restoredListeners.delete(listener);
  }

  /** Index and term of the last applied entry. */
  get lastApplied(): { index: number; term: number } {
    return { index: this.index, term: this.term };
  }

  /** Cluster time (ms) as of the last applied entry. */
  get clusterTime(): number {
    return this.time;
  }

  /** The leader of the latest election entry and the membership. */
  clusterInfo(): { leader: NodeId; term: number } & ConfState {
    const { leader, term, conf } = this.cluster;
    return {
      leader,
      term,
      voters: [...conf.voters],
      learners: [...conf.learners],
    };
  }

  /** A key's record; a key past its TTL stays until its expire commits. */
  get(key: string): KvRecord | undefined {
    return this.kv.get(key);
  }

  /** Keys starting with `prefix`, sorted, at most `limit`. */
  keys(prefix = '', limit = Infinity): string[] {
    return this.kv.list(prefix, limit);
  }

  /**
   * Retained events with id at or after `from`, in log order.
   *
   * @throws `COMPACTED` (a `CompactedError`) below the retained range.
   */
  eventsFrom(from: EventId, limit = Infinity): StateEvent[] {
    return this.log.eventsFrom(from, limit);
  }

  /** The first retained event id (or the next to come when none is). */
  earliestEventId(): EventId {
    return this.log.earliest();
  }

  /** A retained or pinned event. */
  event(id: EventId): StateEvent | undefined {
    return this.log.get(id);
  }

  /** Count and estimated bytes of the retained events. */
  retention(): { count: number; bytes: number; limits: RetentionLimits } {
    const { count, retainedBytes: bytes, limits } = this.log;
    return { count, bytes, limits };
  }

  /**
   * Every deadline the leader's timer service must watch, ascending by
   * (due, id): `kv:<key>` for TTLs, `<module>:<id>` for the modules'.
   */
  deadlines(): { due: number; id: string }[] {
    return this.executor.deadlines();
  }

  /** The stored hooks config, or undefined before the first. */
  hooksConfig(): StoredHooksConfig | undefined {
    return this.executor.config;
  }

  /** The latest refused entries, oldest first. */
  rejections(): Rejection[] {
    return this.rejected.map(([index, code, message]) => ({
      index,
      code,
      message,
    }));
  }
}
