// Builders for hand-written register histories. Times are small integers;
// `ret` undefined means the outcome is unknown.
import type { Operation } from '../../../engine/check/linearizability';
import type {
  RegisterInput,
  RegisterOutput,
  RegisterValue,
} from '../../../engine/check/register-model';

export type RegisterOp = Operation<RegisterInput, RegisterOutput>;

export function write(
  value: RegisterValue,
  call: number,
  ret?: number,
  client = 0,
): RegisterOp {
  return {
    client,
    input: { type: 'write', value },
    call,
    return: ret,
    output: { type: 'write' },
  };
}

export function read(
  value: RegisterValue,
  call: number,
  ret: number,
  client = 1,
): RegisterOp {
  return {
    client,
    input: { type: 'read' },
    call,
    return: ret,
    output: { type: 'read', value },
  };
}

export function cas(
  from: RegisterValue,
  to: RegisterValue,
  ok: boolean,
  call: number,
  ret?: number,
  client = 2,
): RegisterOp {
  return {
    client,
    input: { type: 'cas', from, to },
    call,
    return: ret,
    output: { type: 'cas', ok },
  };
}

/** `count` writes of 1..count, all concurrent, then a read of `seen`. */
export function concurrentWrites(count: number, seen: number): RegisterOp[] {
  const writes = Array.from({ length: count }, (_, index) =>
    write(index + 1, 0, 100, index),
  );
  return [...writes, read(seen, 200, 201, count)];
}

/** Prints a figure for people reading the test output; never asserted. */
export function printFigure(line: string): void {
  process.stdout.write(`${line}\n`);
}
