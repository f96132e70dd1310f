import { readFile } from 'node:fs/promises';

/** Where a command writes; the real streams, or buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** The process's stdout and stderr. */
export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Exit codes: done, expectations failed, bad input. */
export const EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

/** Bad input on the command line or in a file: exit 2 with the message. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Reads a text file, or fails as bad input naming the file and why. */
export async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : String(code ?? error);
    throw new UsageError(`cannot read ${file}: ${why}`);
  }
}

/** `file:line:col: message`, the form editors and CI logs link. */
export function located(
  file: string,
  line: number,
  column: number,
  message: string,
): string {
  return `${file}:${line}:${column}: ${message}`;
}
