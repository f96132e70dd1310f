import { utf8Length, type Command, type PublishMessage } from './commands';
import type { KvStore } from './kv';
import type { ApplyContext, StateModule, StoredHooksConfig } from './module';
import { errorResult, type CommandResult } from './results';
import { topicOfObservation, type StateEmitter } from './state-emitter';

/**
 * Runs each command kind against the machine's parts: the KV store, the
 * event log (through the emitter), the stored hooks config and the
 * modules.
 *
 * @packageDocumentation
 */

/**
 * A sub-module of the machine, whatever its command and result types
 * (`apply` is a method, so a module of narrower commands fits).
 */
export type AnyStateModule = StateModule<unknown, unknown>;

/** The names of the modules, in the fixed order they are run and observed. */
export const MODULE_NAMES = ['groups', 'jobs'] as const;

/** The name of a module: the command tag that reaches it. */
export type ModuleName = (typeof MODULE_NAMES)[number];

const CONFIG_TOPIC = '$studio.hooks.config_changed';

/** Applies commands; holds the stored hooks config. */
export class CommandExecutor {
  /** The hooks config the log holds, undefined before the first. */
  config: StoredHooksConfig | undefined;

  constructor(
    private readonly kv: KvStore,
    private readonly emitter: StateEmitter,
    private readonly modules: readonly [ModuleName, AnyStateModule][],
  ) {}

  /** Every deadline, ascending by (due, id); see the machine's. */
  deadlines(): { due: number; id: string }[] {
    const all = this.kv.deadlines().map(({ due, key }) => ({
      due,
      id: `kv:${key}`,
    }));
    for (const [name, module] of this.modules) {
      for (const { due, id } of module.deadlines?.() ?? []) {
        all.push({ due, id: `${name}:${id}` });
      }
    }
    return all.sort(
      (a, b) => a.due - b.due || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  }

  /** Applies one command of the entry `ctx` describes. */
  execute(cmd: Command, ctx: ApplyContext): unknown {
    const at = { index: ctx.index, now: ctx.now };
    const emit = ctx.emit;
    switch (cmd.t) {
      case 'kv.put':
        return this.kv.put(cmd.key, cmd.value, cmd.ttlMs, at, emit);
      case 'kv.delete':
        return this.kv.delete(cmd.key, emit);
      case 'kv.cas':
        return this.kv.cas(
          cmd.key,
          cmd.expected,
          cmd.value,
          cmd.ttlMs,
          at,
          emit,
        );
      case 'kv.batch':
        return this.kv.batch(cmd.ops, at, emit);
      case 'publish':
        return this.publish([cmd], false);
      case 'publishBatch':
        return this.publish(cmd.messages, true);
      case 'expire':
        return this.expire(cmd.ids, ctx);
      case 'observed':
        return this.observed(cmd.kind, cmd.payload);
      case 'hooks.config':
        return this.storeConfig(cmd.version, cmd.text, ctx);
      case 'jobs':
      case 'groups':
        return this.delegate(cmd.t, cmd.cmd, ctx);
    }
  }

  private publish(messages: PublishMessage[], isBatch: boolean): CommandResult {
    for (const message of messages) {
      const refusal = this.emitter.checkUserTopic(message.topic);
      if (refusal !== undefined) {
        return refusal;
      }
    }
    const ids = messages.map((message) => this.emitter.publish(message));
    return isBatch ? { ok: true, ids } : { ok: true, id: ids[0]! };
  }

  private observed(kind: string, payload: unknown): CommandResult {
    const topic = topicOfObservation(kind);
    if (topic === undefined) {
      const why = `observation kind ${JSON.stringify(kind)} is neither a production hook topic suffix nor a $-reserved subject`;
      return errorResult('INVALID_OBSERVATION', why);
    }
    return { ok: true, id: this.emitter.emit(topic, payload) };
  }

  // deadlines are checked against the entry's cluster time, which is at
  // least the leader's stamp, itself taken no earlier than the command's
  // `now`; an id whose deadline moved meanwhile is skipped
  private expire(ids: readonly string[], ctx: ApplyContext): CommandResult {
    const byOwner = new Map<string, string[]>();
    for (const id of ids) {
      const colon = id.indexOf(':');
      const owner = colon === -1 ? '' : id.slice(0, colon);
      const list = byOwner.get(owner) ?? [];
      list.push(id.slice(colon + 1));
      byOwner.set(owner, list);
    }

    // owners in a fixed order, whatever order the ids came in
    const done = new Set<string>();
    const kvKeys = byOwner.get('kv');
    if (kvKeys !== undefined) {
      const { expired } = this.kv.expire(kvKeys, ctx.now, ctx.emit);
      expired.forEach((key) => done.add(`kv:${key}`));
    }
    for (const [name, module] of this.modules) {
      const own = byOwner.get(name);
      if (own !== undefined && module.expire !== undefined) {
        module.expire(own, ctx).forEach((id) => done.add(`${name}:${id}`));
      }
    }
    const expired = ids.filter((id) => done.has(id));
    const skipped = ids.filter((id) => !done.has(id));
    return { ok: true, expired, skipped };
  }

  private storeConfig(
    version: number,
    text: string,
    ctx: ApplyContext,
  ): CommandResult {
    const current = this.config?.version ?? 0;
    if (version !== current + 1) {
      const why = `hooks config version ${version} does not follow the stored version ${current}; reload it and propose version ${current + 1}`;
      return errorResult('CONFIG_CONFLICT', why);
    }
    this.config = { version, text, index: ctx.index };
    ctx.emit(CONFIG_TOPIC, { version, size_bytes: utf8Length(text) });
    return { ok: true, version };
  }

  private delegate(name: ModuleName, cmd: unknown, ctx: ApplyContext): unknown {
    const module = this.modules.find(([n]) => n === name)?.[1];
    if (module === undefined) {
      return errorResult('NO_MODULE', `no ${name} module is registered`);
    }
    return module.apply(cmd, ctx);
  }
}
