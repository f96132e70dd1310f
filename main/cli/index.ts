// `aspen-studio`: the command-line entry (bin/aspen-studio.js runs the
// built copy; `npx tsx main/cli/index.ts` runs it from source).
import { processIo } from './cli-io';
import { runCli } from './run-cli';

process.env.UV_THREADPOOL_SIZE ??= '16';

void runCli(process.argv.slice(2), processIo).then((code) => {
  // let stdout drain before exiting: a piped reader must get every byte
  process.stdout.write('', () => process.exit(code));
});
