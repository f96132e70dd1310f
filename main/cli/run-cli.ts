import { benchCommand } from './bench-command';
import { EXIT, UsageError, type CliIo } from './cli-io';
import { diagnosticsCommand } from './diagnostics-command';
import { exportCommand } from './export-command';
import { matchCommand } from './match-command';
import { resetCommand } from './reset-command';
import { serveCommand } from './serve-command';
import { testCommand } from './test-command';
import { validateCommand } from './validate-command';
import { version } from '../../package.json';

type Command = (argv: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  serve: serveCommand,
  validate: validateCommand,
  export: exportCommand,
  test: testCommand,
  match: matchCommand,
  bench: benchCommand,
  diagnostics: diagnosticsCommand,
  reset: resetCommand,
};

const HELP = `aspen-studio ${version}

usage: aspen-studio <command> [options]

  serve [--workspace <dir>] [--port <n>] [--data-dir <dir>] [--nodes <n>]
        [--trust]
      serve the studio in the browser on 127.0.0.1; --trust lets the
      handlers of a workspace not created on this machine run
  validate <hooks.toml>
      check a config; problems as file:line:col: message
  export <hooks.toml> --format toml|json|plugin-kv [--strip-studio-keys] [-o <file>]
      write production's form; the compatibility report goes to stderr
  test <scenario.toml|folder>
      run scenarios on a fresh local cluster
  match <pattern> <subject>...
  match --config <hooks.toml> <subject>...
      test subjects against a pattern, or find the hooks that receive them
  bench [name]
      run the benchmarks
  diagnostics [--workspace <dir>] [--data-dir <dir>] [-o <file.tar.gz>]
      bundle a workspace's logs, config, versions and stored node state
  reset --workspace <dir> [--data-dir <dir>]
      move a workspace's cluster data aside; its next open starts afresh

  --json   machine-readable output on stdout

exit codes: 0 ok, 1 failed expectations, 2 bad input
`;

/**
 * Runs one CLI invocation and returns its exit code: 0 ok, 1 failed
 * expectations, 2 bad input (a usage error, an unreadable or invalid
 * file, an invalid pattern).
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (
    name === undefined ||
    name === 'help' ||
    name === '--help' ||
    name === '-h'
  ) {
    io.out(HELP);
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.err(`aspen-studio: unknown command ${JSON.stringify(name)}\n\n${HELP}`);
    return EXIT.badInput;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    // parseArgs reports unknown or malformed options as TypeErrors with a code
    const isArgError =
      error instanceof UsageError ||
      String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS');
    const message = error instanceof Error ? error.message : String(error);
    io.err(`aspen-studio ${name}: ${message}\n`);
    return isArgError ? EXIT.badInput : EXIT.failed;
  }
}
