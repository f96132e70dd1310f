// `npm test`: lint, typecheck, build, then the vitest projects one after the
// other (unit in parallel; real clusters and the browser serially). Ends with
// one plain line `N passed, N failed` summing every step and test it ran.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = (pkg, file) => join('node_modules', pkg, file);
const only = process.argv.slice(2);
const results = { passed: 0, failed: 0 };
const scratch = mkdtempSync(join(tmpdir(), 'aspen-test-'));

function step(name, args) {
  if (only.length > 0 && !only.includes(name)) {
    return;
  }
  console.log(`\n── ${name} ──`);
  const run = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (run.status === 0) {
    results.passed += 1;
  } else {
    results.failed += 1;
    console.log(`${name}: FAILED (exit ${run.status ?? run.signal})`);
  }
}

function vitest(project) {
  if (only.length > 0 && !only.includes(project)) {
    return;
  }
  console.log(`\n── vitest: ${project} ──`);
  const report = join(scratch, `${project}.json`);
  const run = spawnSync(
    process.execPath,
    [
      bin('vitest', 'vitest.mjs'),
      'run',
      '--passWithNoTests',
      '--project',
      project,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    { stdio: 'inherit' },
  );
  let counted = false;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    results.passed += json.numPassedTests;
    results.failed += json.numFailedTests;
    counted = json.numTotalTests > 0;
    // a file that fails to load has no tests but still fails the run
    if (run.status !== 0 && json.numFailedTests === 0) {
      results.failed += 1;
    }
  } catch {
    results.failed += 1;
    console.log(`vitest ${project}: no report (exit ${run.status})`);
  }
  if (!counted && run.status === 0) {
    console.log(`vitest ${project}: ran no test`);
  }
}

step('lint', [bin('eslint', 'bin/eslint.js'), '.', '--max-warnings', '0']);
step('format', [bin('prettier', 'bin/prettier.cjs'), '--check', '.']);
step('typecheck:engine', [
  bin('typescript', 'bin/tsc'),
  '-p',
  'engine/tsconfig.json',
]);
step('typecheck', [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json']);
step('build', [bin('electron-vite', 'bin/electron-vite.js'), 'build']);
vitest('unit');
vitest('serial');
vitest('e2e');

rmSync(scratch, { recursive: true, force: true });
console.log(`\n${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);
