// Agents for tests against a hub started in-process: added to its store before it starts, then each
// registers its key and pushes signed batches of one observation, as `candor agent` would.
import assert from 'node:assert/strict';
import { canonicalBatchText, generateAgentKeyPair, signText, type AgentKeyPair } from '../../src/agents/signatures.js';
import { hashAgentToken, newAgentToken } from '../../src/agents/tokens.js';
import { openStore } from '../../src/storage/open.js';

export interface TestAgent {
  readonly name: string;
  readonly region: string;
  readonly token: string;
  readonly key: AgentKeyPair;
}

/** Adds the agents to the hub's database in `dataDir` (run before the hub starts). */
export async function addAgents(dataDir: string, regions: Readonly<Record<string, string>>): Promise<Map<string, TestAgent>> {
  const admin = await openStore({ dataDir });
  await admin.migrate();
  const agents = new Map<string, TestAgent>();
  for (const [name, region] of Object.entries(regions)) {
    const agent = { name, region, token: newAgentToken(), key: generateAgentKeyPair() };
    await admin.agents.add({ name, region, tokenHash: hashAgentToken(agent.token), createdAt: Date.now() });
    agents.set(name, agent);
  }
  await admin.close();
  return agents;
}

export async function registerKeys(hubUrl: string, agents: Iterable<TestAgent>): Promise<void> {
  for (const agent of agents) {
    const response = await fetch(`${hubUrl}/api/v1/agent/key`, { method: 'PUT', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ publicKey: agent.key.publicKey }) });
    assert.equal(response.status, 200, `${agent.name}: ${await response.text()}`);
  }
}

let tick = 0;

/** One tcp check of `monitorId` from `agent`, passing or refused, pushed signed; resolves once stored. */
export async function pushCheck(hubUrl: string, agent: TestAgent, monitorId: string, ok: boolean, startedAt = Date.now() - 60_000 + tick++): Promise<void> {
  const observation = {
    monitorId,
    vantage: agent.name,
    plannedAt: startedAt,
    startedAt,
    ok,
    phases: { connect: 0.5, total: ok ? 12.5 : 1 },
    ...(ok ? {} : { error: { kind: 'connect_refused', message: 'connect ECONNREFUSED 127.0.0.1:9' } }),
    details: { type: 'tcp', bytesReceived: 0 },
  };
  const sentAt = Date.now();
  const body = { agent: agent.name, sentAt, observations: [observation], signature: signText(canonicalBatchText({ agent: agent.name, sentAt, observations: [observation] }), agent.key.privateKey) };
  const response = await fetch(`${hubUrl}/api/v1/agent/results`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as { results: { status: string }[] };
  assert.equal(answer.results[0]?.status, 'stored', JSON.stringify(answer));
}
