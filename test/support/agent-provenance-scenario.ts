// Run by test/e2e/agent-provenance.test.ts inside a network namespace of its own (unshare --net, only
// loopback up), so the agent's own checks, which resolve the monitor's name through the system's
// resolver, cannot reach anything beyond this namespace. Starts a loopback DNS server answering
// app.example.test with 127.0.0.2, loopback HTTP sites on 127.0.0.2 and 127.0.0.3, a real `candor serve`
// hub and a real `candor agent` (both with the fixture IP database), waits for the agent's snapshot to
// reach the hub, switches the name to 127.0.0.3, waits for the next one, and prints what the hub's API
// says as one JSON line after "RESULT ". Every wait is bounded.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANDOR_BIN, eventually, getJson, runCandor, serveCandor } from './candor-process.js';
import { startDnsServer, type TestZoneEntry } from './dns-server.js';
import { FIXTURE_IPDB_DIR } from './ipdb-fixture.js';
import { startLoopbackSite } from './provenance-servers.js';

const HOST = 'app.example.test';

interface VantageView {
  vantage: string;
  view: { addresses: string[]; networks: { asn: number; org: string }[]; countries: string[] };
}
interface Change {
  kind: string;
  vantage: string;
  monitorId: string;
}

const zone: Record<string, TestZoneEntry> = {};
const pointAt = (address: string) => {
  zone[HOST] = { records: [{ type: 'A', ttl: 60, data: address }] };
};

const dir = mkdtempSync(join(tmpdir(), 'candor-agent-provenance-'));
const siteA = await startLoopbackSite('127.0.0.2', { headers: { server: 'site-a' } });
const siteB = await startLoopbackSite('127.0.0.3', { headers: { server: 'site-b' }, port: siteA.port });
pointAt('127.0.0.2');
const dns = await startDnsServer(zone);
const config = join(dir, 'candor.yaml');
writeFileSync(
  config,
  `monitors:
  - { id: app, type: http, url: "http://${HOST}:${siteA.port}/", interval: 5s, timeout: 2s, vantages: [a1] }
provenance: { interval: 1m, resolver: "127.0.0.1:${dns.port}" }
`,
);
let agentLog = '';
const added = await runCandor(['agents', 'add', 'a1', '--config', config, '--data', join(dir, 'hub')]);
if (added.code !== 0) throw new Error(`candor agents add: ${added.stderr}`);
const hub = await serveCandor(['--config', config, '--data', join(dir, 'hub'), '--ipdb', FIXTURE_IPDB_DIR]);
const agent = spawn(process.execPath, [CANDOR_BIN, 'agent', '--hub', hub.url, '--name', 'a1', '--data', join(dir, 'agent'), '--ipdb', FIXTURE_IPDB_DIR], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, CANDOR_AGENT_TOKEN: added.stdout.trim() },
});
agent.stdout!.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
agent.stderr!.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));

const provenance = async (): Promise<VantageView[]> => (await getJson<{ vantages: VantageView[] }>(`${hub.url}/api/v1/monitors/app/provenance`)).body.vantages;
const changes = async (): Promise<Change[]> => (await getJson<{ changes: Change[] }>(`${hub.url}/api/v1/provenance/changes?limit=1000`)).body.changes;

let result: unknown;
try {
  const before = await eventually('the agent snapshot at the hub', async () => ((await provenance()).length > 0 ? provenance() : undefined), 40_000);
  const changesBefore = await changes();
  const switchedAt = Date.now();
  pointAt('127.0.0.3');
  // The next snapshot is due one interval (1m) after the first.
  const after = await eventually(
    'the snapshot after the switch',
    async () => {
      const now = await provenance();
      return now.some((v) => v.view.addresses.includes('127.0.0.3')) ? now : undefined;
    },
    100_000,
  );
  result = { before, after, changesBefore, changesAfter: await changes(), switchedAt, dnsQueries: dns.queries.filter((q) => q.name === HOST).length };
} catch (error) {
  result = { error: String(error), agentLog: agentLog.slice(-4000), hubLog: hub.output().slice(-4000) };
} finally {
  agent.kill('SIGTERM');
  const killer = setTimeout(() => agent.kill('SIGKILL'), 15_000);
  if (agent.exitCode === null) await once(agent, 'exit');
  clearTimeout(killer);
  await hub.stop();
  await Promise.all([siteA.close(), siteB.close(), dns.close()]);
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
