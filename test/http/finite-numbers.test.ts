// Found by the fuzz test: "1e309" coerces to Infinity and skips the schema's maximum, so a limit of
// Infinity reached storage as a 500. Every such number is a 400 problem now.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';

describe('numbers that are not finite', () => {
  let dir: string;
  let app: RunningApp;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-finite-'));
    const config = parseConfig('monitors:\n  - { id: a, type: tcp, host: 127.0.0.1, port: 9 }\n', 'candor.yaml', {});
    app = await startApp({ config, log: pino({ level: 'silent' }), dataDir: dir, host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const url of ['/api/v1/incidents?limit=1e309', '/api/v1/monitors/a/results?limit=-1e309', '/api/v1/provenance/changes?limit=1e309']) {
    it(`${url}: 400 problem+json naming the parameter`, async () => {
      const response = await app.server.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 400);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      assert.equal(response.json().code, 'bad_request');
      assert.match(response.json().detail, /query parameter "limit" must be a finite number/);
    });
  }
  it('finite values still work', async () => {
    assert.equal((await app.server.inject({ method: 'GET', url: '/api/v1/incidents?limit=5' })).statusCode, 200);
  });
});
