// `npm run sim -- --seeds N --steps M [--seed S] [--workers W]
//   [--bug commitOldTermByCount|voteBeforeDurable|truncateOnStaleAppend]
//   [--faults none|mixed|elections|votes|appends] [--fail-fast]
//   [--no-protocol-checks] [--trace]`
// Runs deterministic Raft simulations over seeds S..S+N-1 on worker
// threads and exits 1 if any seed fails. A failure prints `SEED=… STEPS=…`
// and the end of its trace; rerun it alone with `--seed S --seeds 1`.
import type { FaultMix } from '../engine/sim/fault-profile';
import { runSeeds } from '../engine/sim/seed-pool';
import type { SimulationResult } from '../engine/sim/simulation';

const BUGS = [
  'commitOldTermByCount',
  'voteBeforeDurable',
  'truncateOnStaleAppend',
] as const;
const MIXES = ['none', 'mixed', 'elections', 'votes', 'appends'] as const;

interface Args {
  seeds: number;
  steps: number;
  first: number;
  workers: number;
  bug?: (typeof BUGS)[number];
  faults?: FaultMix;
  failFast: boolean;
  protocolChecks: boolean;
  trace: boolean;
}

function usage(problem: string): never {
  console.error(`sim: ${problem}`);
  console.error(
    'usage: sim --seeds N --steps M [--seed S] [--workers W] [--bug NAME] ' +
      '[--faults MIX] [--fail-fast] [--no-protocol-checks] [--trace]',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): Args {
  const args: Args = {
    seeds: 1,
    steps: 20_000,
    first: 1,
    workers: 2,
    failFast: false,
    protocolChecks: true,
    trace: false,
  };
  let hasSeeds = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => argv[++i] ?? usage(`${flag} needs a value`);
    const count = (min: number) => {
      const n = Number(value());
      return Number.isInteger(n) && n >= min ? n : usage(`bad ${flag}`);
    };
    if (flag === '--seeds') {
      args.seeds = count(1);
      hasSeeds = true;
    } else if (flag === '--steps') {
      args.steps = count(1);
    } else if (flag === '--seed') {
      args.first = count(0);
    } else if (flag === '--workers') {
      args.workers = count(0);
    } else if (flag === '--bug') {
      const bug = value();
      args.bug = BUGS.find((b) => b === bug) ?? usage(`unknown bug ${bug}`);
    } else if (flag === '--faults') {
      const mix = value();
      args.faults = MIXES.find((m) => m === mix) ?? usage(`unknown mix ${mix}`);
    } else if (flag === '--fail-fast') {
      args.failFast = true;
    } else if (flag === '--no-protocol-checks') {
      args.protocolChecks = false;
    } else if (flag === '--trace') {
      args.trace = true;
    } else {
      usage(`unknown argument ${flag}`);
    }
  }
  if (!hasSeeds && !argv.includes('--seed')) {
    usage('give --seeds N (or --seed S for one seed)');
  }
  return args;
}

function printFailure(result: SimulationResult): void {
  console.log(`\nSEED=${result.seed} STEPS=${result.steps}`);
  for (const failure of result.failures) {
    console.log(`  ${failure}`);
  }
  console.log(`  last ${result.trace?.length ?? 0} trace lines:`);
  for (const line of result.trace ?? []) {
    console.log(`    ${line}`);
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seeds = Array.from({ length: args.seeds }, (_, i) => args.first + i);
  const bugs = args.bug ? { [args.bug]: true } : undefined;
  console.log(
    `sim: ${seeds.length} seeds from ${args.first}, ${args.steps} steps, ` +
      `${args.workers} workers${args.bug ? `, bug ${args.bug}` : ''}`,
  );

  let done = 0;
  let failed = 0;
  let lastPrint = performance.now();
  const started = lastPrint;
  const summary = await runSeeds({
    seeds,
    steps: args.steps,
    workers: args.workers,
    testingBugs: bugs,
    faults: args.faults,
    protocolChecks: args.protocolChecks,
    keepTrace: args.trace,
    failFast: args.failFast,
    onResult: (result) => {
      done += 1;
      if (!result.ok) {
        failed += 1;
        printFailure(result);
      } else if (args.trace) {
        console.log(result.trace?.join('\n'));
      }
      const now = performance.now();
      if (now - lastPrint > 2000 || done === seeds.length) {
        lastPrint = now;
        const rate = done / ((now - started) / 1000);
        console.log(
          `  ${done}/${seeds.length} seeds, ${failed} failed, ` +
            `${rate.toFixed(1)} seeds/s`,
        );
      }
    },
  });

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const unknown = summary.unknownLincheck;
  console.log(
    `sim: ${summary.seeds} seeds, ${summary.failures.length} failures, ` +
      `${unknown.length} unknown lincheck verdicts, ${seconds} s` +
      (summary.failures.length > 0
        ? ` (failed: ${summary.failures.map((f) => f.seed).join(' ')})`
        : '') +
      (unknown.length > 0 ? ` (unknown: ${unknown.join(' ')})` : ''),
  );
  process.exitCode = summary.failures.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
