// Consensus seen through the API of a real hub (startApp on loopback, SQLite in a temp dir): two agents
// in two regions push signed batches; one failing makes a partial incident naming its region, both
// failing make it global (the same incident), and the monitor shows each vantage side by side.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../src/app.js';
import { canonicalBatchText, generateAgentKeyPair, signText, type AgentKeyPair } from '../../src/agents/signatures.js';
import { hashAgentToken, newAgentToken } from '../../src/agents/tokens.js';
import { parseConfig } from '../../src/config/load.js';
import { openStore } from '../../src/storage/open.js';

const CONFIG = `
monitors:
  - { id: shop, name: Shop, type: tcp, host: 127.0.0.1, port: 9, interval: 1h, failureThreshold: 1, successThreshold: 1, vantages: [eu-*, us-*] }
`;

describe('consensus through the API', () => {
  let dir: string;
  let app: RunningApp;
  const agents = { ams: { region: 'eu-west', token: newAgentToken(), key: generateAgentKeyPair() }, nyc: { region: 'us-east', token: newAgentToken(), key: generateAgentKeyPair() } } satisfies Record<string, { region: string; token: string; key: AgentKeyPair }>;
  type Name = keyof typeof agents;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-consensus-api-'));
    const admin = await openStore({ dataDir: dir });
    await admin.migrate();
    for (const [name, agent] of Object.entries(agents)) await admin.agents.add({ name, region: agent.region, tokenHash: hashAgentToken(agent.token), createdAt: Date.now() });
    await admin.close();
    app = await startApp({ config: parseConfig(CONFIG, 'candor.yaml', {}), log: pino({ level: 'silent' }), dataDir: dir, host: '127.0.0.1', port: 0, ingest: { flushIntervalMs: 20 } });
    for (const [name, agent] of Object.entries(agents)) {
      const response = await fetch(`${app.url}/api/v1/agent/key`, { method: 'PUT', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ publicKey: agent.key.publicKey }) });
      assert.equal(response.status, 200, `${name}: ${await response.text()}`);
    }
  });

  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let tick = 0;
  async function check(name: Name, ok: boolean): Promise<void> {
    const startedAt = Date.now() - 60_000 + tick++;
    const observation = {
      monitorId: 'shop',
      vantage: name,
      plannedAt: startedAt,
      startedAt,
      ok,
      phases: { connect: 0.5, total: 1 },
      ...(ok ? {} : { error: { kind: 'connect_refused', message: 'connect ECONNREFUSED 127.0.0.1:9' } }),
      details: { type: 'tcp', bytesReceived: 0 },
    };
    const sentAt = Date.now();
    const body = { agent: name, sentAt, observations: [observation], signature: signText(canonicalBatchText({ agent: name, sentAt, observations: [observation] }), agents[name].key.privateKey) };
    const response = await fetch(`${app.url}/api/v1/agent/results`, { method: 'POST', headers: { authorization: `Bearer ${agents[name].token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const answer = (await response.json()) as { results: { status: string; message?: string }[] };
    assert.equal(answer.results[0]?.status, 'stored', JSON.stringify(answer));
  }
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${app.url}${path}`);
    assert.equal(response.status, 200, path);
    return (await response.json()) as T;
  };
  interface MonitorJson {
    state: string;
    scope: { vantages: string[]; regions: string[] } | null;
    vantages: { name: string; region: string | null; state: string; vantageState: string; lastResultId: string | null; lastResult?: { id: string; ok: boolean } | null }[];
  }
  interface IncidentJson {
    id: string;
    title: string;
    state: string;
    scope: { kind: string; vantages: string[]; regions: string[] };
    timeline: { kind: string; scope: { kind: string; evidence: { vantage: string; resultId: string }[] } | null }[];
  }

  it('one region failing is a partial outage naming it; the monitor shows each vantage side by side', async () => {
    await check('ams', true);
    await check('nyc', true);
    await check('ams', false);
    const monitor = await get<MonitorJson>('/api/v1/monitors/shop');
    assert.equal(monitor.state, 'partial');
    assert.deepEqual(monitor.scope, { vantages: ['ams'], regions: ['eu-west'] });
    assert.deepEqual(
      monitor.vantages.map((v) => [v.name, v.region, v.state, v.vantageState, v.lastResult?.ok]),
      [
        ['ams', 'eu-west', 'down', 'ok', false],
        ['nyc', 'us-east', 'up', 'ok', true],
      ],
    );
    assert.equal(monitor.vantages[0]!.lastResult?.id, monitor.vantages[0]!.lastResultId);
    const list = await get<{ monitors: MonitorJson[] }>('/api/v1/monitors');
    assert.deepEqual(list.monitors[0]!.vantages.map((v) => [v.name, 'lastResult' in v]), [['ams', false], ['nyc', false]], 'the list names results, the monitor has them whole');
    const { incidents } = await get<{ incidents: IncidentJson[] }>('/api/v1/incidents');
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0]!.title, 'Shop is partly down (eu-west)');
    assert.deepEqual(incidents[0]!.scope, { kind: 'partial', vantages: ['ams'], regions: ['eu-west'] });
    const v2 = await get<{ components: { name: string; status: string }[] }>('/api/v2/components.json');
    assert.deepEqual(v2.components.map((c) => c.status), ['partial_outage']);
  });

  it('both failing: the same incident becomes global, the change on its timeline with evidence from each vantage', async () => {
    await check('nyc', false);
    const monitor = await get<MonitorJson>('/api/v1/monitors/shop');
    assert.equal(monitor.state, 'down');
    const { incidents } = await get<{ incidents: IncidentJson[] }>('/api/v1/incidents');
    assert.equal(incidents.length, 1, 'partial to global is a scope change, not a new incident');
    assert.equal(incidents[0]!.title, 'Shop is down', 'the title follows the scope');
    assert.deepEqual(incidents[0]!.scope, { kind: 'global', vantages: ['ams', 'nyc'], regions: ['eu-west', 'us-east'] });
    const change = incidents[0]!.timeline.find((e) => e.kind === 'scope_changed');
    assert.equal(change?.scope?.kind, 'global');
    assert.deepEqual(change?.scope?.evidence.map((e) => e.vantage), ['ams', 'nyc']);
    for (const e of change!.scope!.evidence) assert.match(e.resultId, /./);
    const v2 = await get<{ components: { status: string }[] }>('/api/v2/components.json');
    assert.deepEqual(v2.components.map((c) => c.status), ['major_outage']);
    await check('ams', true);
    await check('nyc', true);
    const over = await get<{ incidents: IncidentJson[] }>('/api/v1/incidents');
    assert.equal(over.incidents[0]!.state, 'resolved');
  });

  it('lists the vantages with the contract shape', async () => {
    const { vantages } = await get<{ vantages: { name: string; region?: string; state: string; lastSeenAt?: string; fingerprint?: string }[] }>('/api/v1/vantages');
    const ams = vantages.find((v) => v.name === 'ams')!;
    assert.equal(ams.state, 'ok');
    assert.equal(ams.region, 'eu-west');
    assert.match(ams.fingerprint ?? '', /^SHA256:/);
    assert.ok(ams.lastSeenAt && !Number.isNaN(Date.parse(ams.lastSeenAt)));
  });
});
