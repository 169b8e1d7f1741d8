// Probes on a machine whose network is gone: run in a private network namespace of our own where even
// loopback is down, so every connect fails at once and nothing can leave. The process must get a
// failure result from every probe, never crash (a failed UDP connect once killed it).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REGISTRY = fileURLToPath(new URL('../../src/probes/registry.js', import.meta.url));
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0;

const SCRIPT = `
import { createProbes } from ${JSON.stringify(REGISTRY)};
const probes = createProbes();
const specs = [
  { type: 'dns', name: 'example.test', recordType: 'A', resolver: { host: '127.0.0.1', port: 53 }, expect: {} },
  { type: 'tcp', host: '127.0.0.1', port: 9 },
  { type: 'tls', host: '127.0.0.1', port: 443, expect: {} },
  { type: 'http', url: 'http://127.0.0.1:9/', method: 'GET', headers: {}, maxRedirects: 0, verifyTls: true, maxBodyBytes: 1024, keepHeaders: [], expect: { status: [[200, 399]] } },
];
const outcomes = [];
for (const spec of specs) outcomes.push({ type: spec.type, ...(await probes.run(spec, { timeoutMs: 1500 })) });
console.log(JSON.stringify(outcomes));
`;

describe('probes without any network', { skip: canUnshare ? false : 'needs root and unshare(1) for a private network namespace' }, () => {
  it('every probe returns a failure with an error kind, and the process survives', () => {
    const run = spawnSync('unshare', ['--net', process.execPath, '--input-type=module', '-e', SCRIPT], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    const outcomes = JSON.parse(run.stdout) as { type: string; ok: boolean; error?: { kind: string } }[];
    assert.deepEqual(outcomes.map((o) => o.type), ['dns', 'tcp', 'tls', 'http']);
    for (const outcome of outcomes) {
      assert.equal(outcome.ok, false, outcome.type);
      assert.ok(outcome.error && outcome.error.kind !== 'internal', `${outcome.type}: ${JSON.stringify(outcome.error)}`);
    }
  });
});
