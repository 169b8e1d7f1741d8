// The provenance probe on a machine whose network is gone: a private network namespace of our own where
// even loopback is down, so every send and connect fails at once and nothing can leave. Failures come
// back as data, and the process survives.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('../../src/provenance/probe.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../support/ipdb-fixture.js', import.meta.url));
const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--net', 'true']).status === 0;

const SCRIPT = `
import { observeProvenance } from ${JSON.stringify(PROBE)};
import { fixtureIpDb } from ${JSON.stringify(FIXTURE)};
const ipdb = fixtureIpDb();
const snapshots = [
  await observeProvenance({ host: 'www.example.test', port: 443, resolver: '127.0.0.1:53', timeoutMs: 1500, ipdb }),
  await observeProvenance({ host: '127.0.0.2', port: 443, timeoutMs: 1500, ipdb, requestHeaders: true }),
  await observeProvenance({ host: '127.0.0.3', port: 80, timeoutMs: 1500, ipdb, tls: false }),
];
console.log(JSON.stringify(snapshots));
`;

describe('provenance without any network', { skip: canUnshare ? false : 'needs root and unshare(1) for a private network namespace' }, () => {
  it('every observation records its failure, and the process survives', () => {
    const run = spawnSync('unshare', ['--net', process.execPath, '--input-type=module', '-e', SCRIPT], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(run.status, 0, run.stderr);
    const snapshots = JSON.parse(run.stdout) as { error?: { kind: string }; networks: { asn?: number }[] }[];
    assert.equal(snapshots[0]!.error?.kind, 'dns_error');
    assert.match(snapshots[1]!.error?.kind ?? '', /^connect_/);
    assert.deepEqual(snapshots[1]!.networks.map((network) => network.asn), [64500], 'the address is still looked up');
    assert.match(snapshots[2]!.error?.kind ?? '', /^connect_/);
  });
});
