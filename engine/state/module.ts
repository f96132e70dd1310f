/**
 * The contract between the replicated state machine and the sub-modules that
 * plug into it (durable jobs, consumer groups). A module sees only its own
 * commands and this context, so it can be written, tested and snapshotted on
 * its own (DESIGN §3.3). Everything a module does happens inside `apply`, on
 * every replica alike: no clock, no RNG, no Map/Set iteration order deciding
 * anything.
 *
 * @packageDocumentation
 */

/** Identifies one event: the Raft index of its entry and its position inside that entry. */
export interface EventId {
  index: number;
  offset: number;
}

/**
 * One event of the global log, as the machine keeps it. The same object is
 * handed to every module, listener and subscriber: never mutate it, or
 * this replica's snapshot would differ from the others'.
 */
export interface StateEvent {
  /** `index.offset` of the entry that produced it. */
  id: EventId;
  /** The subject it was published on (`hooks.kv.write_committed`, `orders.created`…). */
  topic: string;
  /** Cluster time (ms) of the entry that produced it. */
  time: number;
  /** Plain data: production's payload shape for `hooks.*`, the user's for the rest. */
  payload: unknown;
  /** Headers of a user publish. */
  headers?: Record<string, string>;
  /** The event that caused this one (a hook's output, a job's result). */
  causation?: EventId;
  /** How many causation hops lead here; 0 for an event nothing caused. */
  depth: number;
}

/** The hooks configuration the log holds (see the `hooks.config` command). */
export interface StoredHooksConfig {
  /** Increments by one with every accepted change, starting at 1. */
  version: number;
  /** The `hooks.toml` text, as proposed. */
  text: string;
  /** Raft index of the entry that stored it. */
  index: number;
}

/** Context given to every sub-module while one command is applied. */
export interface ApplyContext {
  /** Raft index of the entry being applied. */
  index: number;
  /** Raft term of that entry. */
  term: number;
  /** Cluster time in ms: max(previous state time, the leader's stamp). Never read a clock. */
  now: number;
  /** A random draw the leader stamped into the entry (uint32), for jitter; 0 when none. */
  random: number;
  /** Appends an event to the global log; returns its id. */
  emit(
    topic: string,
    payload: unknown,
    meta?: { causation?: EventId; depth?: number },
  ): EventId;
  /**
   * Keeps an event past retention while work still refers to it. A
   * refcount: every pin needs one unpin. Pinning an event that is no longer
   * retained does nothing and returns false.
   */
  pin(id: EventId): boolean;
  /** Releases one {@link ApplyContext.pin}; at zero the event may be trimmed. */
  unpin(id: EventId): void;
  /** A retained (or pinned) event by id, or undefined. */
  event(id: EventId): StateEvent | undefined;
  /** The hooks configuration in force, or undefined before the first one. */
  hooksConfig(): StoredHooksConfig | undefined;
}

/** A deterministic piece of replicated state with its own commands. */
export interface StateModule<Command, Result> {
  apply(command: Command, ctx: ApplyContext): Result;
  /** Plain data (msgpack-able), with every collection in a deterministic order. */
  snapshot(): unknown;
  /**
   * Replaces the whole state with what {@link StateModule.snapshot}
   * returned; `undefined` means back to the initial state (an empty
   * snapshot, or one taken before the module was registered).
   */
  restore(data: unknown): void;
  /**
   * Deadlines this module wants the leader's timer service to watch (due
   * time, id), ascending. Ids are the module's own: the machine shows them
   * as `<module>:<id>` and hands them back unprefixed to
   * {@link StateModule.expire}.
   */
  deadlines?(): { due: number; id: string }[];
  /**
   * Handles ids from one of its own {@link StateModule.deadlines} that the
   * leader's timer service proposed in an `expire` entry. The module must
   * re-check each deadline against `ctx.now`: it may have moved since the
   * proposal was made.
   *
   * @returns the ids it did expire; the rest count as skipped.
   */
  expire?(ids: string[], ctx: ApplyContext): string[];
  /**
   * Sees every event applied to the log, in log order, including those of
   * the other modules and its own (filter by topic). This is how a job-mode
   * hook turns a committed event into a job without missing any.
   */
  observe?(event: StateEvent, ctx: ApplyContext): void;
}
