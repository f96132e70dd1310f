// Browser mode: the studio behind HTTP on 127.0.0.1, for machines where the
// Electron window cannot open (and for the end-to-end tests). Takes the
// options of `aspen-studio serve`: --workspace, --port, --data-dir, --nodes,
// --trust.
import { processIo } from './cli/cli-io';
import { runCli } from './cli/run-cli';

process.env.UV_THREADPOOL_SIZE ??= '16';

void runCli(['serve', ...process.argv.slice(2)], processIo).then((code) => {
  process.stdout.write('', () => process.exit(code));
});
