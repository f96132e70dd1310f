import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';

import { validateConfig } from '../studio/config-ops';
import { EXIT, located, readInput, UsageError, type CliIo } from './cli-io';
import { parseScenario, type Scenario } from './scenario-file';
import { runScenario, type ScenarioReport } from './scenario-runner';
import { plural } from './validate-command';

const USAGE = 'usage: aspen-studio test <scenario.toml|folder> [--json]';

/**
 * `test <scenario.toml|folder>`: checks every scenario first (bad input
 * exits 2 before any cluster starts), then runs them one at a time with
 * progress on stderr. Exit 1 when an expectation failed.
 */
export async function testCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) {
    throw new UsageError(USAGE);
  }
  const files = await scenarioFiles(target);

  // every scenario and config is checked before anything runs
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  for (const file of files) {
    try {
      const scenario = parseScenario(await readInput(file), file);
      problems.push(...(await configProblems(scenario)));
      scenarios.push(scenario);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) {
    problems.forEach((problem) => io.err(`${problem}\n`));
    return EXIT.badInput;
  }

  const reports: ScenarioReport[] = [];
  for (const scenario of scenarios) {
    io.err(`▶ ${scenario.file} (${scenario.nodes} nodes)\n`);
    const report = await runScenario(scenario, (line) => io.err(`${line}\n`));
    io.err(`${report.passed ? '✓ passed' : '✗ failed'}: ${scenario.file}\n`);
    reports.push(report);
  }
  const failed = reports.filter((report) => !report.passed).length;
  const passed = reports.length - failed;
  if (values.json) {
    io.out(
      `${JSON.stringify({ passed, failed, scenarios: reports }, null, 2)}\n`,
    );
  } else {
    io.out(`${plural(passed, 'scenario')} passed, ${failed} failed\n`);
  }
  return failed === 0 ? EXIT.ok : EXIT.failed;
}

async function scenarioFiles(target: string): Promise<string[]> {
  let info;
  try {
    info = await stat(target);
  } catch {
    throw new UsageError(`cannot read ${target}: no such file or folder`);
  }
  if (!info.isDirectory()) {
    return [target];
  }
  const entries = await readdir(target, { recursive: true });
  // a workspace's own config sits beside its scenarios and is not one
  const files = entries
    .filter((name) => name.endsWith('.toml') && basename(name) !== 'hooks.toml')
    .map((name) => join(target, name))
    .sort();
  if (files.length === 0) {
    throw new UsageError(`no scenario (*.toml) in ${target}`);
  }
  return files;
}

async function configProblems(scenario: Scenario): Promise<string[]> {
  if (scenario.configFile === undefined) {
    return [];
  }
  // short when inside the working folder, absolute otherwise
  const near = relative(process.cwd(), scenario.configFile);
  const file = near.startsWith('..') ? scenario.configFile : near;
  const { diagnostics } = validateConfig({
    text: await readInput(file),
    file,
  });
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => located(d.file, d.line, d.column, d.message));
}
