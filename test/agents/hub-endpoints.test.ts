// The hub's agent endpoints over a real hub (startApp on loopback, SQLite in a temp dir): tokens,
// keys, signatures, per-observation refusals, duplicates, and a batch checked as a third party would.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../src/app.js';
import { canonicalBatchText, generateAgentKeyPair, keyFingerprint, signText, verifyText, type AgentKeyPair } from '../../src/agents/signatures.js';
import { hashAgentToken, newAgentToken } from '../../src/agents/tokens.js';
import { parseConfig } from '../../src/config/load.js';
import type { Observation } from '../../src/domain/observation.js';
import { openStore } from '../../src/storage/open.js';
import type { Store } from '../../src/storage/store.js';

const CONFIG = `
monitors:
  - { id: web, type: http, url: "http://127.0.0.1:9/", interval: 1h }
  - { id: ssh, type: tcp, host: 127.0.0.1, port: 9, interval: 1h }
  - { id: eu-only, type: tcp, host: 127.0.0.1, port: 9, interval: 1h, vantages: [eu-*] }
`;

describe('agent endpoints of the hub', () => {
  let dir: string;
  let app: RunningApp;
  let admin: Store;
  const tokens: Record<string, string> = {};
  const keys: Record<string, AgentKeyPair> = {};

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-agents-'));
    // The CLI's way: tokens made and hashed before the hub starts; the hub reads them from the database.
    admin = await openStore({ dataDir: dir });
    await admin.migrate();
    for (const name of ['a1', 'eu-west', 'gone', 'keyless', 'silent']) {
      tokens[name] = newAgentToken();
      keys[name] = generateAgentKeyPair();
      await admin.agents.add({ name, region: `${name}-region`, tokenHash: hashAgentToken(tokens[name]!), createdAt: Date.now() });
    }
    app = await startApp({
      config: parseConfig(CONFIG, 'candor.yaml', {}),
      log: pino({ level: 'silent' }),
      dataDir: dir,
      host: '127.0.0.1',
      port: 0,
      ingest: { flushIntervalMs: 20 },
    });
    for (const name of ['a1', 'eu-west', 'gone']) {
      const response = await request('PUT', '/api/v1/agent/key', name, { publicKey: keys[name]!.publicKey });
      assert.equal(response.status, 200, await response.text());
    }
  });

  after(async () => {
    await app.close();
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function request(method: string, path: string, agent: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${app.url}${path}`, {
      method,
      headers: {
        ...(agent ? { authorization: `Bearer ${tokens[agent] ?? agent}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  }

  let clockTick = 0;
  function observation(monitorId: string, vantage: string, startedAt = Date.now() - 60_000 + clockTick++): Observation {
    return {
      monitorId,
      vantage,
      plannedAt: startedAt - 1,
      startedAt,
      ok: false,
      phases: { connect: 0.42, total: 1.25 },
      peerAddress: '127.0.0.1',
      error: { kind: 'connect_refused', message: 'connect ECONNREFUSED 127.0.0.1:9' },
      details: monitorId === 'web' ? { type: 'http' } : { type: 'tcp', bytesReceived: 0 },
    };
  }

  function signed(agent: string, observations: readonly unknown[], key = keys[agent]!) {
    const sentAt = Date.now();
    return { agent, sentAt, observations, signature: signText(canonicalBatchText({ agent, sentAt, observations }), key.privateKey) };
  }

  async function push(agent: string, body: unknown) {
    const response = await request('POST', '/api/v1/agent/results', agent, body);
    return { status: response.status, body: (await response.json()) as { batch?: string; results: { status: string; id?: string; reason?: string; message?: string }[] } };
  }

  async function resultsOf(monitorId: string, vantage: string): Promise<{ id: string; startedAt: string }[]> {
    const response = await request('GET', `/api/v1/monitors/${monitorId}/results?vantage=${vantage}&limit=1000`, undefined);
    return ((await response.json()) as { results: { id: string; startedAt: string }[] }).results;
  }

  for (const [name, authorization] of [
    ['missing', undefined],
    ['malformed', 'Basic abc'],
    ['wrong', 'Bearer candor_not-a-token'],
  ] as const) {
    it(`a ${name} token is a 401 problem, and nothing is stored`, async () => {
      const before = (await resultsOf('ssh', 'a1')).length;
      const response = await fetch(`${app.url}/api/v1/agent/results`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body: JSON.stringify(signed('a1', [observation('ssh', 'a1')])),
      });
      assert.equal(response.status, 401);
      assert.match(response.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal(((await response.json()) as { code: string }).code, 'unauthorized');
      assert.equal((await resultsOf('ssh', 'a1')).length, before);
    });
  }

  it('a revoked token is a 401 from the moment it is revoked', async () => {
    assert.equal((await push('gone', signed('gone', [observation('ssh', 'gone')]))).status, 200);
    await admin.agents.revoke('gone', Date.now());
    const refused = await push('gone', signed('gone', [observation('ssh', 'gone')]));
    assert.equal(refused.status, 401);
    assert.equal((await request('GET', '/api/v1/agent/assignment', 'gone')).status, 401);
    assert.equal((await resultsOf('ssh', 'gone')).length, 1, 'what it sent before stays');
  });

  it('stores a signed batch, answers with result ids after commit, and takes a resend as duplicates', async () => {
    const observations = [observation('ssh', 'a1'), observation('web', 'a1')];
    const first = await push('a1', signed('a1', observations));
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.results.map((r) => r.status), ['stored', 'stored']);
    const stored = await resultsOf('ssh', 'a1');
    assert.ok(stored.some((r) => r.id === first.body.results[0]!.id), 'readable as soon as answered');
    const again = await push('a1', signed('a1', observations));
    assert.deepEqual(again.body.results.map((r) => [r.status, r.id]), first.body.results.map((r) => ['duplicate', r.id]));
    assert.equal((await resultsOf('ssh', 'a1')).filter((r) => r.id === first.body.results[0]!.id).length, 1);
  });

  it('refuses, per observation and with a reason, what it must not store', async () => {
    const now = Date.now();
    const same = observation('ssh', 'a1');
    const body = signed('a1', [
      observation('eu-only', 'a1'),
      observation('nope', 'a1'),
      observation('ssh', 'eu-west'),
      observation('ssh', 'a1', now + 3_600_000),
      observation('ssh', 'a1', now - 90 * 86_400_000),
      { ...observation('ssh', 'a1'), phases: { total: 1.234 } },
      { monitorId: 'ssh' },
      { ...observation('ssh', 'a1'), plannedAt: 0 },
      { ...observation('ssh', 'a1'), phases: { total: 1e9 } },
      { ...observation('ssh', 'a1'), error: { kind: 'connect_refused', message: 'nul \u0000 byte' } },
      same,
      same,
      observation('ssh', 'a1'),
    ]);
    const { status, body: answer } = await push('a1', body);
    assert.equal(status, 200);
    assert.deepEqual(
      answer.results.map((r) => r.reason ?? r.status),
      ['not_assigned', 'unknown_monitor', 'wrong_vantage', 'in_the_future', 'too_old', 'malformed', 'malformed', 'malformed', 'malformed', 'malformed', 'stored', 'duplicate', 'stored'],
    );
    assert.equal((await resultsOf('eu-only', 'a1')).length, 0);
  });

  it('a monitor limited to eu-* takes observations from eu-west', async () => {
    const { body } = await push('eu-west', signed('eu-west', [observation('eu-only', 'eu-west')]));
    assert.equal(body.results[0]!.status, 'stored');
  });

  it('a bad signature, another agent\'s batch or no registered key: every observation refused, nothing stored', async () => {
    const before = (await resultsOf('ssh', 'a1')).length;
    const tampered = signed('a1', [observation('ssh', 'a1')]);
    const cases = [
      { agent: 'a1', body: { ...tampered, observations: [{ ...(tampered.observations[0] as Observation), ok: true, error: undefined }] } },
      { agent: 'a1', body: signed('a1', [observation('ssh', 'a1')], keys['eu-west']) },
      { agent: 'a1', body: { ...signed('a1', [observation('ssh', 'a1')]), signature: 'not base64' } },
      { agent: 'a1', body: signed('eu-west', [observation('ssh', 'a1')]) },
      { agent: 'keyless', body: signed('keyless', [observation('ssh', 'keyless')]) },
    ];
    for (const { agent, body } of cases) {
      const { status, body: answer } = await push(agent, body);
      assert.equal(status, 200);
      assert.deepEqual(answer.results.map((r) => r.reason), ['bad_signature']);
      assert.equal(answer.batch, undefined);
    }
    assert.equal((await resultsOf('ssh', 'a1')).length, before);
    assert.equal((await resultsOf('ssh', 'keyless')).length, 0);
  });

  it('oversized batches: more than 1,000 observations refused each; a body over the limit is a 413 problem', async () => {
    const many = Array.from({ length: 1001 }, (_, i) => observation('ssh', 'a1', Date.now() - 120_000 + i));
    const { status, body } = await push('a1', signed('a1', many));
    assert.equal(status, 200);
    assert.equal(body.results.length, 1001);
    assert.ok(body.results.every((r) => r.reason === 'batch_too_large'));
    const huge = JSON.stringify({ ...signed('a1', []), observations: [{ padding: 'x'.repeat(9 * 1024 * 1024) }] });
    const response = await request('POST', '/api/v1/agent/results', 'a1', huge);
    assert.equal(response.status, 413);
    assert.match(response.headers.get('content-type') ?? '', /problem\+json/);
  });

  it('a second key for the same agent is a 409; the first stays', async () => {
    const response = await request('PUT', '/api/v1/agent/key', 'a1', { publicKey: generateAgentKeyPair().publicKey });
    assert.equal(response.status, 409);
    assert.equal(((await response.json()) as { code: string }).code, 'key_conflict');
    const again = await request('PUT', '/api/v1/agent/key', 'a1', { publicKey: keys.a1!.publicKey });
    assert.deepEqual(await again.json(), { fingerprint: keyFingerprint(keys.a1!.publicKey), registered: false });
  });

  it('hands each agent its monitors, with an ETag that answers 304 while they are unchanged', async () => {
    const first = await request('GET', '/api/v1/agent/assignment', 'a1');
    assert.equal(first.status, 200);
    const assignment = (await first.json()) as { version: string; monitors: { id: string }[]; agent: { name: string; region: string } };
    assert.deepEqual(assignment.monitors.map((m) => m.id), ['web', 'ssh']);
    assert.deepEqual(assignment.agent, { name: 'a1', region: 'a1-region' });
    assert.equal(first.headers.get('etag'), `"${assignment.version}"`);
    const unchanged = await request('GET', '/api/v1/agent/assignment', 'a1', undefined, { 'if-none-match': `"${assignment.version}"` });
    assert.equal(unchanged.status, 304);
    const eu = (await (await request('GET', '/api/v1/agent/assignment', 'eu-west')).json()) as { monitors: { id: string }[] };
    assert.deepEqual(eu.monitors.map((m) => m.id), ['web', 'ssh', 'eu-only']);
  });

  it('lists the vantages: the hub, and each agent with region, state, last contact and key fingerprint', async () => {
    const { vantages } = (await (await request('GET', '/api/v1/vantages', undefined)).json()) as { vantages: Record<string, unknown>[] };
    const byName = new Map(vantages.map((v) => [v.name, v]));
    const local = byName.get('local')!;
    assert.deepEqual(local, { name: 'local', kind: 'hub', state: 'ok', connection: 'online', lastSeenAt: local.lastSeenAt, lastSeen: local.lastSeenAt });
    assert.equal(byName.get('a1')!.state, 'ok');
    assert.equal(byName.get('a1')!.connection, 'online');
    assert.equal(byName.get('a1')!.region, 'a1-region');
    assert.match(String(byName.get('a1')!.fingerprint), /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(byName.get('a1')!.publicKeyFingerprint, byName.get('a1')!.fingerprint, 'the older name is kept');
    assert.equal(byName.get('gone')!.state, 'offline', 'a revoked agent counts for nothing');
    assert.equal(byName.get('gone')!.connection, 'revoked');
    assert.equal(byName.get('keyless')!.state, 'ok', 'heard from, though it has no key yet');
    assert.equal('fingerprint' in byName.get('keyless')!, false);
    assert.deepEqual(byName.get('silent'), { name: 'silent', kind: 'agent', state: 'offline', connection: 'pending', region: 'silent-region' });
    const listed = (await admin.agents.list()).find((a) => a.name === 'a1')!;
    assert.equal(listed.lastAddress, '127.0.0.1', 'the source address the hub saw');
  });

  it('a third party checks a stored batch from the API alone: rebuild the signed text, verify with the public key', async () => {
    const observations = [observation('ssh', 'eu-west'), observation('web', 'eu-west'), observation('eu-only', 'eu-west')];
    const pushed = await push('eu-west', signed('eu-west', [...observations, observation('nope', 'eu-west')]));
    const { publicKey, batches } = (await (await request('GET', '/api/v1/vantages/eu-west/batches', undefined)).json()) as {
      publicKey: string;
      batches: { digest: string; sentAt: number; signature: string; covers: { monitorId: string; vantage: string; from: number; to: number; count: number }[]; refused: unknown[] }[];
    };
    const batch = batches.find((b) => b.digest === pushed.body.batch)!;
    assert.ok(batch, 'the batch is listed');
    const rebuilt: unknown[] = [...batch.refused];
    for (const cover of batch.covers) {
      const to = cover.to + 1;
      const response = await request('GET', `/api/v1/monitors/${cover.monitorId}/results?vantage=${cover.vantage}&from=${cover.from}&to=${to}&limit=1000`, undefined);
      const { results } = (await response.json()) as { results: Record<string, unknown>[] };
      assert.equal(results.length, cover.count);
      rebuilt.push(...results.map(observationFromApi));
    }
    const text = canonicalBatchText({ agent: 'eu-west', sentAt: batch.sentAt, observations: rebuilt });
    assert.equal(verifyText(text, batch.signature, publicKey), true);
    assert.equal(verifyText(text.replace('"ok":false', '"ok":true'), batch.signature, publicKey), false);
  });
});

/** What a third party does with a result of the API: keep the observation's fields, times back to epoch ms. */
function observationFromApi(result: Record<string, unknown>): unknown {
  const { monitorId, vantage, plannedAt, startedAt, ok, phases, peerAddress, error, details } = result;
  return {
    monitorId,
    vantage,
    plannedAt: Date.parse(plannedAt as string),
    startedAt: Date.parse(startedAt as string),
    ok,
    phases,
    ...(peerAddress !== undefined ? { peerAddress } : {}),
    ...(error !== undefined ? { error } : {}),
    details,
  };
}
