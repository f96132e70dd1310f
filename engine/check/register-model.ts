import type { Model } from './linearizability';

/** What a register holds; `null` is the empty register. */
export type RegisterValue = string | number | null;

/**
 * An operation on one register. A `cas` writes `to` when the register holds
 * `from` (compared with `===`) and leaves it alone otherwise.
 */
export type RegisterInput =
  | { type: 'read' }
  | { type: 'write'; value: RegisterValue }
  | { type: 'cas'; from: RegisterValue; to: RegisterValue };

/**
 * What a register operation returned: the value read, a bare
 * acknowledgement of a write, or whether a cas found `from` (`ok: false`
 * means it certainly found something else and changed nothing). An output
 * whose `type` differs from its input's is impossible.
 */
export type RegisterOutput =
  | { type: 'read'; value: RegisterValue }
  | { type: 'write' }
  | { type: 'cas'; ok: boolean };

/**
 * The sequential register: the states `input` can lead to from `value`
 * while returning `output` (`undefined` for an unknown outcome, which any
 * state allows). Shared by the single-register and the per-key models.
 */
export function stepRegister(
  value: RegisterValue,
  input: RegisterInput,
  output: RegisterOutput | undefined,
): RegisterValue[] {
  if (output !== undefined && output.type !== input.type) {
    return [];
  }
  switch (input.type) {
    case 'read':
      return output?.type === 'read' && output.value !== value ? [] : [value];
    case 'write':
      return [input.value];
    case 'cas': {
      const matches = value === input.from;
      if (output?.type === 'cas' && output.ok !== matches) {
        return [];
      }
      return [matches ? input.to : value];
    }
  }
}

/** One line for a register operation, such as `cas 1 2 -> ok`. */
export function describeRegisterOperation(
  input: RegisterInput,
  output: RegisterOutput | undefined,
): string {
  const result = output === undefined ? '?' : describeOutput(output);
  switch (input.type) {
    case 'read':
      return `read -> ${result}`;
    case 'write':
      return `write ${show(input.value)} -> ${result}`;
    case 'cas':
      return `cas ${show(input.from)} ${show(input.to)} -> ${result}`;
  }
}

function describeOutput(output: RegisterOutput): string {
  switch (output.type) {
    case 'read':
      return show(output.value);
    case 'write':
      return 'ok';
    case 'cas':
      return output.ok ? 'ok' : 'fail';
  }
}

function show(value: RegisterValue): string {
  return value === null ? 'nil' : JSON.stringify(value);
}

/**
 * A single read/write/cas register that starts empty, as in Jepsen's etcd
 * test (see `parseJepsenLog`). Deterministic; no partitioning, since all
 * operations touch the same register.
 */
export const registerModel: Model<
  RegisterValue,
  RegisterInput,
  RegisterOutput
> = {
  init: () => null,
  step: stepRegister,
  hash: (value) => JSON.stringify(value),
  describeOperation: describeRegisterOperation,
};
