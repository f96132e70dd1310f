// `npm run bench`: runs every benchmark under bench/ (files named
// *.bench.ts), each in its own process, one after the other. Benchmarks print
// figures and write JSON to bench/results/; they assert nothing.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv[2];
const benches = readdirSync('bench')
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => only === undefined || file.startsWith(only))
  .sort();
if (benches.length === 0) {
  console.log(
    only === undefined
      ? 'no benchmarks under bench/'
      : `no benchmark named ${only}`,
  );
  process.exit(only === undefined ? 0 : 2);
}
let failed = 0;
for (const file of benches) {
  console.log(`\n── ${file} ──`);
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join('bench', file)],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '16',
      },
    },
  );
  if (run.status !== 0) {
    failed += 1;
  }
}
process.exit(failed === 0 ? 0 : 1);
