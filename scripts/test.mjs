// Runs every compiled test file with node's test runner, prints the spec report, and ends with
// the plain line "N passed, N failed" that CI reads. Exit code: non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import { readdirSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function findTests(dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...findTests(path));
    else if (name.endsWith('.test.js')) files.push(path);
  }
  return files.sort();
}

const filter = process.argv.slice(2);
let files = findTests('dist/test');
if (filter.length > 0) files = files.filter((f) => filter.some((part) => f.includes(part)));
mkdirSync('test-results', { recursive: true });
const tapFile = 'test-results/tests.tap';
const run = spawnSync(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { stdio: 'inherit' },
);
const tap = readFileSync(tapFile, 'utf8');
const count = (name) => Number([...tap.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].at(-1)?.[1] ?? 0);
const passed = count('pass');
const failed = count('fail') + count('cancelled');
const skipped = count('skipped');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
