// End to end: provenance from an agent's vantage. A real `candor agent` and a real `candor serve` hub,
// a loopback DNS server moving app.example.test from 127.0.0.2 (AS64500 Example Net A, NL, in the
// fixture IP database) to 127.0.0.3 (AS64501 Example Net B, US), loopback HTTP sites on both. The
// whole scenario runs in a network namespace of its own (test/support/agent-provenance-scenario.ts):
// the agent's checks resolve the name through the system's resolver, which must not be reached from
// a test, and inside the namespace nothing but loopback exists.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const SCENARIO = fileURLToPath(new URL('../support/agent-provenance-scenario.js', import.meta.url));

interface VantageView {
  vantage: string;
  view: { addresses: string[]; networks: { asn: number; org: string }[]; countries: string[] };
}
interface Change {
  kind: string;
  vantage: string;
  monitorId: string;
}
interface ScenarioResult {
  before: VantageView[];
  after: VantageView[];
  changesBefore: Change[];
  changesAfter: Change[];
  dnsQueries: number;
  error?: string;
  agentLog?: string;
  hubLog?: string;
}

function namespaceProblem(): string | undefined {
  const probe = spawnSync('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up'], { timeout: 10_000 });
  return probe.status === 0 ? undefined : `network namespaces are not available here (unshare --net: ${probe.stderr?.toString().trim() || probe.error?.message})`;
}

async function runScenario(): Promise<{ result?: ScenarioResult; output: string }> {
  const child = spawn('unshare', ['--net', '--', 'sh', '-c', 'ip link set lo up && exec "$0" "$1"', process.execPath, SCENARIO], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 200_000);
  await once(child, 'exit');
  clearTimeout(killer);
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  return { output, ...(line ? { result: JSON.parse(line.slice('RESULT '.length)) as ScenarioResult } : {}) };
}

describe('provenance from an agent (real processes, loopback DNS, own network namespace)', { timeout: 240_000 }, () => {
  const unavailable = namespaceProblem();
  it('the hub shows the agent vantage with its network, and a change event from it after the name moves', { skip: unavailable ?? false }, async () => {
    const { result, output } = await runScenario();
    assert.ok(result, output.slice(-4000));
    assert.equal(result.error, undefined, `${result.error}\nagent:\n${result.agentLog}\nhub:\n${result.hubLog}`);

    const [first, ...othersBefore] = result.before;
    assert.equal(othersBefore.length, 0, 'the hub does not check this monitor: only the agent observes it');
    assert.equal(first!.vantage, 'a1');
    assert.deepEqual(first!.view.addresses, ['127.0.0.2']);
    assert.deepEqual(first!.view.networks, [{ asn: 64500, org: 'Example Net A' }]);
    assert.deepEqual(first!.view.countries, ['NL']);
    assert.deepEqual(result.changesBefore, [], 'a first snapshot is no change');

    const [second] = result.after;
    assert.equal(second!.vantage, 'a1');
    assert.deepEqual(second!.view.addresses, ['127.0.0.3']);
    assert.deepEqual(second!.view.networks, [{ asn: 64501, org: 'Example Net B' }]);
    assert.deepEqual(second!.view.countries, ['US']);
    const kinds = result.changesAfter.map((c) => c.kind).sort();
    assert.deepEqual(kinds, ['addresses', 'country', 'network']);
    for (const change of result.changesAfter) {
      assert.equal(change.vantage, 'a1');
      assert.equal(change.monitorId, 'app');
    }
    assert.ok(result.dnsQueries >= 2, 'the snapshots asked the loopback resolver named in provenance.resolver');
  });
});
