// An acknowledged write has its audit entry on disk: `kill -9` right after the answer loses neither.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateAgentKeyPair } from '../../src/agents/signatures.js';
import { hashAgentToken, newAgentToken } from '../../src/agents/tokens.js';
import { openStore } from '../../src/storage/open.js';
import { serveCandor } from '../support/candor-process.js';

const dir = mkdtempSync(join(tmpdir(), 'candor-audit-kill-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('audit log durability', () => {
  it('a write answered before kill -9 is in the audit log after a restart', { timeout: 60_000 }, async () => {
    const data = join(dir, 'data');
    const config = join(dir, 'candor.yaml');
    writeFileSync(config, 'monitors:\n  - { id: web, type: tcp, host: 127.0.0.1, port: 9, interval: 1h }\n');
    const setup = await openStore({ dataDir: data });
    await setup.migrate();
    const token = newAgentToken();
    await setup.agents.add({ name: 'a1', tokenHash: hashAgentToken(token), createdAt: Date.now() });
    await setup.close();

    const server = await serveCandor(['--config', config, '--data', data]);
    // A write every agent makes at first contact: registering its public key.
    const response = await fetch(`${server.url}/api/v1/agent/key`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ publicKey: generateAgentKeyPair().publicKey }),
    });
    assert.equal(response.status, 200);
    await server.stop('SIGKILL');

    const store = await openStore({ dataDir: data });
    try {
      const [entry] = await store.listAudit({ limit: 10 });
      assert.ok(entry, 'the entry survived');
      assert.deepEqual({ method: entry.method, route: entry.route, status: entry.status }, { method: 'PUT', route: '/api/v1/agent/key', status: 200 });
      assert.equal((await store.agents.list())[0]?.publicKey !== undefined, true, 'and so did the write');
    } finally {
      await store.close();
    }
  });
});
