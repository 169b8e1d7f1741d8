// `candor agents add|list|revoke` as a user runs them, against the hub's data directory.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCandor } from '../support/candor-process.js';
import { hashAgentToken } from '../../src/agents/tokens.js';

const dir = mkdtempSync(join(tmpdir(), 'candor-agents-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const data = join(dir, 'hub');
const config = join(dir, 'candor.yaml');
writeFileSync(config, 'vantage: { name: hub }\nmonitors:\n  - { id: web, type: tcp, host: 127.0.0.1, port: 9 }\n');

describe('candor agents', () => {
  let token = '';

  it('add prints a token once; only its hash is stored', async () => {
    const run = await runCandor(['agents', 'add', 'a1', '--region', 'eu-west', '--config', config, '--data', data]);
    assert.equal(run.code, 0, run.stderr);
    token = run.stdout.trim();
    assert.match(token, /^candor_[A-Za-z0-9_-]{43}$/);
    assert.match(run.stderr, /shown once/);
    const database = readFileSync(join(data, 'candor.db')).toString('latin1');
    assert.equal(database.includes(token), false, 'the token is not in the database');
    assert.ok(database.includes(hashAgentToken(token)), 'its SHA-256 is');
  });

  it('list shows agents, never tokens', async () => {
    const run = await runCandor(['agents', 'list', '--data', data]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^NAME\s+REGION\s+STATUS\s+LAST SEEN\s+ADDRESS\s+KEY\na1\s+eu-west\s+active\s+never\s+-\s+no key yet\n$/);
    assert.equal(run.stdout.includes(token), false);
    assert.equal(run.stdout.includes(hashAgentToken(token)), false);
  });

  const refused: ReadonlyArray<{ name: string; args: string[]; message: RegExp }> = [
    { name: 'a name in use', args: ['agents', 'add', 'a1', '--data', data], message: /exists already/ },
    { name: "the hub's own vantage name", args: ['agents', 'add', 'hub', '--config', config, '--data', data], message: /own vantage name/ },
    { name: 'a malformed name', args: ['agents', 'add', 'Bad Name', '--data', data], message: /lower-case letters/ },
    { name: 'revoking an unknown agent', args: ['agents', 'revoke', 'nobody', '--data', data], message: /no active agent/ },
  ];
  for (const { name, args, message } of refused) {
    it(`refuses ${name} (exit 2)`, async () => {
      const run = await runCandor(args);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }

  it('revoke marks the agent revoked; adding it again issues a new token', async () => {
    const revoked = await runCandor(['agents', 'revoke', 'a1', '--data', data]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match((await runCandor(['agents', 'list', '--data', data])).stdout, /a1\s+eu-west\s+revoked \d{4}-/);
    const again = await runCandor(['agents', 'add', 'a1', '--data', data]);
    assert.equal(again.code, 0, again.stderr);
    assert.notEqual(again.stdout.trim(), token);
  });

  it('agent refuses bad usage before starting (exit 2)', async () => {
    const run = await runCandor(['agent', '--hub', 'ftp://hub', '--token', 'x', '--name', 'a1', '--data', join(dir, 'agent')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--hub must be an http/);
    const noToken = await runCandor(['agent', '--hub', 'http://127.0.0.1:1', '--name', 'a1']);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /--token/);
  });
});
