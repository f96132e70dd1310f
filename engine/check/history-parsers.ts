import type { EdnScalar } from './edn-map';
import { readEdnMap } from './edn-map';
import { BadHistoryError } from './errors';
import type { EventType } from './history-builder';
import { HistoryBuilder } from './history-builder';
import type { KvInput, KvOutput } from './kv-model';
import type { Operation } from './linearizability';
import type { RegisterInput, RegisterOutput } from './register-model';

// process, event type, operation and the rest of the line (its value)
const JEPSEN_LINE = new RegExp(
  String.raw`jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)` +
    String.raw`\s+:(read|write|cas)(?:\s+(.*?))?\s*$`,
);

const INTEGER = /^-?\d+$/;

/**
 * Reads a Jepsen etcd log (one register; read / write / cas) into
 * operations for `registerModel`. Only lines containing `jepsen.util`
 * count; processes become clients. A `:fail` operation (such as
 * `:fail :read :timed-out`) had no effect and is dropped; an `:info` one,
 * or a call that never completes, has an unknown outcome.
 *
 * @throws {@link BadHistoryError} with `line N: why` for a line that does
 * not parse or does not fit its call, or when there is no operation.
 */
export function parseJepsenLog(
  text: string,
): Operation<RegisterInput, RegisterOutput>[] {
  const builder = new HistoryBuilder<RegisterInput, RegisterOutput>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (!raw.includes('jepsen.util')) {
      return;
    }
    const match = JEPSEN_LINE.exec(raw);
    if (match === null) {
      throw new BadHistoryError(
        'expected `jepsen.util - <process> <:type> <:read|:write|:cas> <value>`',
        line,
      );
    }
    const client = Number(match[1]);
    const type = match[2] as EventType;
    const op = match[3] as RegisterInput['type'];
    const value = match[4] ?? '';
    if (type === 'invoke') {
      builder.invoke(client, readJepsenInput(op, value, line), line);
      return;
    }

    const called = builder.openInput(client, line);
    if (called.type !== op) {
      throw new BadHistoryError(
        `process ${client} completes a ${op} but called a ${called.type}`,
        line,
      );
    }
    // a read completes with what it read; other ops repeat their arguments
    // unless they timed out
    const isEcho = op !== 'read' && !(type !== 'ok' && value === ':timed-out');
    if (isEcho && !sameInput(called, readJepsenInput(op, value, line))) {
      throw new BadHistoryError(
        `process ${client} completes with arguments other than its call's`,
        line,
      );
    }
    const output =
      type === 'ok' ? jepsenOutput(called, value, line) : undefined;
    builder.complete(client, type, output);
  });
  return builder.finish();
}

function readJepsenInput(
  op: RegisterInput['type'],
  value: string,
  line: number,
): RegisterInput {
  if (op === 'read') {
    if (value !== 'nil') {
      throw new BadHistoryError(
        `a read is called with nil, not '${value}'`,
        line,
      );
    }
    return { type: 'read' };
  }
  if (op === 'write') {
    if (!INTEGER.test(value)) {
      throw new BadHistoryError(
        `a write takes an integer, not '${value}'`,
        line,
      );
    }
    return { type: 'write', value: Number(value) };
  }
  const pair = /^\[(-?\d+)\s+(-?\d+)\]$/.exec(value);
  if (pair === null) {
    throw new BadHistoryError(`a cas takes [from to], not '${value}'`, line);
  }
  return { type: 'cas', from: Number(pair[1]), to: Number(pair[2]) };
}

function sameInput(a: RegisterInput, b: RegisterInput): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function jepsenOutput(
  called: RegisterInput,
  value: string,
  line: number,
): RegisterOutput {
  switch (called.type) {
    case 'write':
      return { type: 'write' };
    case 'cas':
      return { type: 'cas', ok: true };
    case 'read':
      if (value !== 'nil' && !INTEGER.test(value)) {
        throw new BadHistoryError(
          `a read returns nil or an integer, not '${value}'`,
          line,
        );
      }
      return { type: 'read', value: value === 'nil' ? null : Number(value) };
  }
}

/**
 * Reads a Knossos-style key-value history (one Clojure map per line, with
 * `:process`, `:type`, `:f` of `:get` / `:put` / `:append`, `:key` and
 * `:value`) into operations for `kvModel`. Blank lines are skipped. A
 * `:fail` operation is dropped; an `:info` one, or a call that never
 * completes, has an unknown outcome. A `:get` that returns `nil` read the
 * empty string.
 *
 * @throws {@link BadHistoryError} with `line N: why` for a line that does
 * not parse or does not fit its call, or when there is no operation.
 */
export function parseKvHistory(text: string): Operation<KvInput, KvOutput>[] {
  const builder = new HistoryBuilder<KvInput, KvOutput>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') {
      return;
    }
    const event = readEdnMap(raw, line);
    const field = (name: string, kinds: EdnScalar['kind'][]): EdnScalar => {
      const found = event.get(name);
      if (found === undefined || !kinds.includes(found.kind)) {
        throw new BadHistoryError(
          `:${name} must be ${kinds.join(' or ')}`,
          line,
        );
      }
      return found;
    };
    const client = scalarNumber(field('process', ['int']));
    const type = keyword(field('type', ['keyword']), EVENT_TYPES, line);
    const f = keyword(field('f', ['keyword']), KV_FUNCTIONS, line);
    const key = scalarString(field('key', ['string']));
    const value = field('value', ['string', 'nil']);
    if (type === 'invoke') {
      builder.invoke(client, readKvInput(f, key, value, line), line);
      return;
    }

    const called = builder.openInput(client, line);
    if (called.type !== f || called.key !== key) {
      throw new BadHistoryError(
        `process ${client} completes ${f} ${key} but called ${called.type} ${called.key}`,
        line,
      );
    }
    if (called.type !== 'get' && value.kind === 'string') {
      if (value.value !== called.value) {
        throw new BadHistoryError(
          `process ${client} completes with a value other than its call's`,
          line,
        );
      }
    }
    builder.complete(client, type, kvOutput(called, value));
  });
  return builder.finish();
}

const EVENT_TYPES = ['invoke', 'ok', 'fail', 'info'] as const;

const KV_FUNCTIONS = ['get', 'put', 'append'] as const;

function keyword<const T extends string>(
  scalar: EdnScalar,
  allowed: readonly T[],
  line: number,
): T {
  const name = scalar.kind === 'keyword' ? scalar.name : '';
  if (!(allowed as readonly string[]).includes(name)) {
    throw new BadHistoryError(
      `expected one of ${allowed.map((a) => `:${a}`).join(' ')}, not :${name}`,
      line,
    );
  }
  return name as T;
}

function scalarNumber(scalar: EdnScalar): number {
  return scalar.kind === 'int' ? scalar.value : NaN;
}

function scalarString(scalar: EdnScalar): string {
  return scalar.kind === 'string' ? scalar.value : '';
}

function readKvInput(
  f: KvInput['type'],
  key: string,
  value: EdnScalar,
  line: number,
): KvInput {
  if (f === 'get') {
    if (value.kind !== 'nil') {
      throw new BadHistoryError('a :get is called with :value nil', line);
    }
    return { type: 'get', key };
  }
  if (value.kind !== 'string') {
    throw new BadHistoryError(`a :${f} is called with a string :value`, line);
  }
  return { type: f, key, value: value.value };
}

function kvOutput(called: KvInput, value: EdnScalar): KvOutput {
  if (called.type === 'get') {
    return { type: 'get', value: scalarString(value) };
  }
  return { type: called.type };
}
