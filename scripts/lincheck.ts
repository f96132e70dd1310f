// Checks recorded histories for linearizability and prints one verdict per
// file. Usage: lincheck [--budget-ms N] [--explain] <file>...
// Exit 0 when every history is linearizable, 1 when any is not or could
// not be decided within the budget, 2 on bad input.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';

import { BadHistoryError } from '../engine/check/errors';
import {
  parseJepsenLog,
  parseKvHistory,
} from '../engine/check/history-parsers';
import { kvModel } from '../engine/check/kv-model';
import type {
  CheckResult,
  Model,
  Operation,
  Verdict,
} from '../engine/check/linearizability';
import {
  checkOperations,
  formatOperation,
} from '../engine/check/linearizability';
import { registerModel } from '../engine/check/register-model';

const USAGE = 'usage: lincheck [--budget-ms N] [--explain] <file>...';

interface Options {
  budgetMs: number;
  shouldExplain: boolean;
  shouldShowHelp: boolean;
  files: string[];
}

/** One history, read and checked with the model its format calls for. */
type Checker = (text: string, budgetMs: number) => Report;

interface Report {
  verdict: Verdict;
  /** What `--explain` prints under the verdict. */
  lines: string[];
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    budgetMs: 10_000,
    shouldExplain: false,
    shouldShowHelp: false,
    files: [],
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--help' || arg === '-h') {
      options.shouldShowHelp = true;
    } else if (arg === '--explain') {
      options.shouldExplain = true;
    } else if (arg === '--budget-ms' || arg.startsWith('--budget-ms=')) {
      const raw = arg.includes('=') ? arg.split('=')[1] : argv[++index];
      const budget = Number(raw);
      if (raw === undefined || raw === '' || !(budget > 0)) {
        throw new UsageError(`--budget-ms needs a positive number`);
      }
      options.budgetMs = budget;
    } else if (arg.startsWith('--')) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      options.files.push(arg);
    }
  }
  if (options.files.length === 0 && !options.shouldShowHelp) {
    throw new UsageError('no history files given');
  }
  return options;
}

function checkerWith<S, I, O>(
  model: Model<S, I, O>,
  parse: (text: string) => Operation<I, O>[],
): Checker {
  return (text, budgetMs) => {
    const result = checkOperations(model, parse(text), { budgetMs });
    return { verdict: result.verdict, lines: explain(model, result) };
  };
}

// the tail of the longest linearizable order and the operation that could
// not follow it; the head of that order rarely matters
function explain<S, I, O>(
  model: Model<S, I, O>,
  result: CheckResult<I, O>,
): string[] {
  const { failing, deadEnd } = result;
  if (result.verdict === 'unknown') {
    return [
      `  ran out of budget on ${result.undecided} of ${result.partitions} partitions; raise --budget-ms`,
    ];
  }
  if (failing === undefined || deadEnd === undefined) {
    return [];
  }
  const tail = deadEnd.prefix.slice(-EXPLAIN_TAIL);
  return [
    `  smallest failing partition: ${failing.length} operations`,
    `  linearized ${deadEnd.prefix.length}, ending with:`,
    ...tail.map((op) => `    ${formatOperation(model, op)}`),
    '  then no pending operation can precede the return of:',
    `    ${formatOperation(model, deadEnd.stuck)}`,
  ];
}

const EXPLAIN_TAIL = 5;

const JEPSEN = checkerWith(registerModel, parseJepsenLog);
const KV = checkerWith(kvModel, parseKvHistory);

// the extension decides; anything else is recognised by its first line
function pickChecker(file: string, text: string): Checker {
  const extension = extname(file);
  if (extension === '.log') {
    return JEPSEN;
  }
  if (extension === '.txt') {
    return KV;
  }
  if (text.includes('jepsen.util')) {
    return JEPSEN;
  }
  if (text.trimStart().startsWith('{')) {
    return KV;
  }
  throw new BadHistoryError(
    'not a Jepsen log (.log) or a key-value history (.txt)',
  );
}

// null when the file could not be read or parsed, after saying why; any
// other error is a bug in the checker and is left to crash the command
function checkFile(file: string, budgetMs: number): Report | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    console.error(`lincheck: ${file}: ${why}`);
    return null;
  }
  try {
    return pickChecker(file, text)(text, budgetMs);
  } catch (error) {
    if (!(error instanceof BadHistoryError)) {
      throw error;
    }
    const where = error.line === undefined ? file : `${file}:${error.line}`;
    console.error(`lincheck: ${where}: ${error.reason}`);
    return null;
  }
}

function main(argv: string[]): number {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`lincheck: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options.shouldShowHelp) {
    console.log(USAGE);
    return 0;
  }

  let hasBadInput = false;
  let hasFailed = false;
  for (const file of options.files) {
    const report = checkFile(file, options.budgetMs);
    if (report === null) {
      hasBadInput = true;
      continue;
    }
    console.log(`${file}  ${report.verdict}`);
    if (options.shouldExplain && report.lines.length > 0) {
      console.log(report.lines.join('\n'));
    }
    hasFailed ||= report.verdict !== 'linearizable';
  }
  if (hasBadInput) {
    return 2;
  }
  return hasFailed ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
