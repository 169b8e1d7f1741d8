// Property-based HTTP tests (test/support/http-fuzz.ts) against a real `candor serve`: at least 10,000
// random and malformed requests to every operation of /openapi.json, plus the refusals of every write
// and admin route. They run in a network namespace of their own (unshare, loopback only): with valid
// write tokens, random bodies reach the management API, and nothing a random body asks a monitor to
// check may leave this machine. Without one (not root), only read and revoked tokens are sent.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FuzzReport } from '../support/http-fuzz.js';

const MAIN = fileURLToPath(new URL('../support/http-fuzz-main.js', import.meta.url));
const RUNS = 10_400;
const PARALLEL = 4;
// A bound, not a speed: on an idle machine the run takes about 25 s of CPU; under load it only gets slower.
const TIME_LIMIT_MS = 480_000;

const LOOPBACK_ONLY = 'ip link set lo up && exec "$0" "$@"';
const isolated = spawnSync('unshare', ['--net', '--', 'sh', '-c', LOOPBACK_ONLY, 'true']).status === 0;

async function runFuzz(): Promise<{ report: FuzzReport; stderr: string }> {
  const args = [MAIN, String(RUNS), String(PARALLEL), String(TIME_LIMIT_MS), isolated ? 'privileged' : 'unprivileged'];
  const child = isolated
    ? spawn('unshare', ['--net', '--', 'sh', '-c', LOOPBACK_ONLY, process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const kill = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS + 60_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(kill);
  const line = stdout.split('\n').find((l) => l.startsWith('FUZZ-REPORT '));
  assert.ok(line, `the fuzz run ended (code ${code}) without a report:\n${stdout}\n${stderr}`);
  return { report: JSON.parse(line.slice('FUZZ-REPORT '.length)) as FuzzReport, stderr };
}

describe('HTTP under random and malformed requests', () => {
  it(`every operation of /openapi.json: no 5xx, no hang, no crash, errors as problem+json (${RUNS} requests${isolated ? '' : ', without write tokens: no network namespace here'})`, { timeout: TIME_LIMIT_MS + 90_000 }, async (t) => {
    const { report } = await runFuzz();
    t.diagnostic(`${report.requests} requests to ${report.operations} operations in ${report.seconds} s; statuses ${JSON.stringify(report.byStatus)}`);
    assert.deepEqual(report.failures, [], 'counterexamples');
    assert.ok(report.requests >= 10_000, `only ${report.requests} requests were sent within the time limit`);
    assert.ok(report.operations >= 20, `only ${report.operations} operations in /openapi.json`);
    assert.equal(report.exitedEarly, false, 'the server crashed');
    assert.equal(report.healthAfter, 200, '/healthz after the run');
    assert.deepEqual(report.authFailures, [], 'write and admin routes refuse missing, wrong, revoked, agent and read-only tokens');
    assert.equal(report.openapiErrors, null, 'the document validates as OpenAPI 3.1');
  });
});
