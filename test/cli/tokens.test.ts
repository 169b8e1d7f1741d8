// `candor tokens create|list|revoke` as a user runs them, and a running `candor serve` honouring them at once.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCandor, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { hashSecretToken } from '../../src/tokens/secret-token.js';

const dir = mkdtempSync(join(tmpdir(), 'candor-tokens-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'hub');
const config = join(dir, 'candor.yaml');
writeFileSync(config, 'api: { rateLimit: { failedAuth: { max: 3, window: 1m } } }\nmonitors:\n  - { id: web, type: tcp, host: 127.0.0.1, port: 9, interval: 1h }\n');

describe('candor tokens', () => {
  const tokens: Record<string, string> = {};
  let server: ServingCandor;

  before(async () => {
    for (const [name, scope] of [['deploy-bot', 'write'], ['auditor', 'admin'], ['dashboard', 'read']] as const) {
      const run = await runCandor(['tokens', 'create', '--name', name, '--scope', scope, '--config', config, '--data', data]);
      assert.equal(run.code, 0, run.stderr);
      tokens[name] = run.stdout.trim();
    }
    server = await serveCandor(['--config', config, '--data', data]);
  });
  after(() => server.stop());

  it('create prints a token once; only its hash is stored', () => {
    assert.match(tokens['deploy-bot']!, /^candor_api_[A-Za-z0-9_-]{43}$/);
    const database = readFileSync(join(data, 'candor.db')).toString('latin1');
    for (const token of Object.values(tokens)) {
      assert.equal(database.includes(token), false, 'the token is not in the database');
      assert.ok(database.includes(hashSecretToken(token)), 'its SHA-256 is');
    }
  });

  it('list shows names, scopes and status, never tokens', async () => {
    const run = await runCandor(['tokens', 'list', '--data', data]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^NAME\s+SCOPE\s+CREATED\s+STATUS\nauditor\s+admin\s+\d{4}-\S+\s+active\ndashboard\s+read\s+\S+\s+active\ndeploy-bot\s+write\s+\S+\s+active\n$/);
    for (const token of Object.values(tokens)) {
      assert.equal(run.stdout.includes(token), false);
      assert.equal(run.stdout.includes(hashSecretToken(token)), false);
    }
  });

  const refused: ReadonlyArray<{ name: string; args: string[]; message: RegExp }> = [
    { name: 'a name in use', args: ['tokens', 'create', '--name', 'auditor', '--scope', 'read', '--data', data], message: /exists already/ },
    { name: 'a malformed name', args: ['tokens', 'create', '--name', 'Bad Name', '--scope', 'read', '--data', data], message: /lower-case letters/ },
    { name: 'an unknown scope', args: ['tokens', 'create', '--name', 'x', '--scope', 'root', '--data', data], message: /scope/ },
    { name: 'a missing scope', args: ['tokens', 'create', '--name', 'x', '--data', data], message: /--scope/ },
    { name: 'revoking an unknown token', args: ['tokens', 'revoke', 'nobody', '--data', data], message: /no active token/ },
  ];
  for (const { name, args, message } of refused) {
    it(`refuses ${name} (exit 2)`, async () => {
      const run = await runCandor(args);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }

  it('the running server takes the tokens, and a revoke takes effect at once', async () => {
    const audit = (token: string) => fetch(`${server.url}/api/v1/audit`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await audit(tokens.auditor!)).status, 200);
    assert.equal((await audit(tokens['deploy-bot']!)).status, 403);
    const revoked = await runCandor(['tokens', 'revoke', 'auditor', '--data', data]);
    assert.equal(revoked.code, 0, revoked.stderr);
    const refused = await audit(tokens.auditor!);
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).code, 'invalid_token');
    assert.match((await runCandor(['tokens', 'list', '--data', data])).stdout, /auditor\s+admin\s+\S+\s+revoked \d{4}-/);
  });

  it("failed agent authentications count towards the address's limit too", async () => {
    // One failure above already (the revoked token); two more on an agent endpoint reach the limit of 3.
    for (let i = 0; i < 2; i++) assert.equal((await fetch(`${server.url}/api/v1/agent/assignment`, { headers: { authorization: 'Bearer candor_wrong' } })).status, 401);
    const blocked = await fetch(`${server.url}/api/v1/agent/assignment`, { headers: { authorization: 'Bearer candor_wrong' } });
    assert.equal(blocked.status, 429);
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    assert.equal((await blocked.json()).code, 'auth_rate_limited');
    assert.equal((await fetch(`${server.url}/api/v1/monitors`)).status, 200, 'public reads go on');
  });
});
