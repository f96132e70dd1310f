import { readFileSync, writeFileSync } from 'node:fs';

/** One argument of a script command: `name`, `key=value` or `key=(a,b)`. */
export interface Arg {
  key: string;
  values: string[];
}

/** One block of a script: a command and the trace it must produce. */
export interface Block {
  /** Comment and blank lines before the command, kept on rewrite. */
  preamble: string[];
  line: number;
  /** The command line as written. */
  text: string;
  command: string;
  args: Arg[];
  expected: string;
}

/**
 * Reads a script in the datadriven style: each block is a command line,
 * then `----`, then the expected output up to the next blank line. Lines
 * before a command that are blank or start with `#` are comments.
 */
export function parseScript(source: string, file: string): Block[] {
  const lines = source.split('\n');
  const blocks: Block[] = [];
  let preamble: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('#')) {
      preamble.push(line);
      i += 1;
      continue;
    }
    if (lines[i + 1] !== '----') {
      throw new Error(`${file}:${i + 1}: expected ---- after "${line}"`);
    }
    const expected: string[] = [];
    let j = i + 2;
    while (j < lines.length && lines[j] !== '') {
      expected.push(lines[j]!);
      j += 1;
    }
    const [command, ...args] = line.trim().split(/\s+/);
    blocks.push({
      preamble,
      line: i + 1,
      text: line,
      command: command!,
      args: args.map(parseArg),
      expected: expected.join('\n'),
    });
    preamble = [];
    i = j + 1;
  }
  return blocks;
}

function parseArg(token: string): Arg {
  const eq = token.indexOf('=');
  if (eq < 0) {
    return { key: token, values: [] };
  }
  const key = token.slice(0, eq);
  const raw = token.slice(eq + 1);
  const inner =
    raw.startsWith('(') && raw.endsWith(')') ? raw.slice(1, -1) : raw;
  return { key, values: inner === '' ? [] : inner.split(',') };
}

/** The script text with each block's expected output replaced. */
export function renderScript(blocks: Block[], outputs: string[]): string {
  const parts: string[] = [];
  blocks.forEach((block, i) => {
    parts.push(...block.preamble, block.text, '----');
    const output = outputs[i]!;
    if (output !== '') {
      parts.push(output);
    }
    parts.push('');
  });
  return parts.join('\n');
}

/**
 * Runs every block of `file` through `run` and returns the script as it
 * should read. With REWRITE=1 in the environment the file is rewritten
 * with the actual outputs (review the diff before committing).
 */
export function runScript(
  file: string,
  run: (block: Block) => string,
): { expected: string; actual: string } {
  const source = readFileSync(file, 'utf8');
  const blocks = parseScript(source, file);
  const outputs = blocks.map((block) => {
    try {
      return run(block).replace(/\n+$/, '');
    } catch (error) {
      return `error: ${(error as Error).message}`;
    }
  });
  const actual = renderScript(blocks, outputs);
  if (process.env.REWRITE === '1' && actual !== source) {
    writeFileSync(file, actual);
    return { expected: actual, actual };
  }
  return { expected: source, actual };
}
