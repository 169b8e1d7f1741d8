// /openapi.json validates as OpenAPI 3.1 (@seriousme/openapi-schema-validator), with the routes that
// need a token marked. The property tests (fuzz.test.ts) validate a real `candor serve`'s document too.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { parseConfig } from '../../src/config/load.js';
import { startSeededServer, type SeededServer } from '../support/seeded-server.js';
import { T0 } from '../storage/fixtures.js';

describe('/openapi.json', () => {
  let server: SeededServer;
  before(async () => {
    server = await startSeededServer({ config: parseConfig('monitors:\n  - { id: a, type: tcp, host: 127.0.0.1, port: 9 }\n', 'candor.yaml', {}), now: () => T0 });
  });
  after(() => server.close());

  it('validates as OpenAPI 3.1', async () => {
    const document = (await server.app.inject('/openapi.json')).json();
    assert.equal(document.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document);
    assert.equal(validator.version, '3.1');
    assert.deepEqual(result.errors ?? [], []);
    assert.equal(result.valid, true);
  });

  it('a broken document does not validate (the validator is not a no-op)', async () => {
    const document = (await server.app.inject('/openapi.json')).json();
    const broken = { ...document, paths: { ...document.paths, '/x': { get: { responses: { 200: { content: 'nope' } } } } } };
    assert.equal((await new Validator().validate(broken)).valid, false);
  });

  it('marks the audit log as admin-only, with the bearer scheme', async () => {
    const document = (await server.app.inject('/openapi.json')).json();
    const audit = document.paths['/api/v1/audit'].get;
    assert.equal(audit['x-candor-scope'], 'admin');
    assert.deepEqual(audit.security, [{ bearer: [] }]);
    assert.ok(audit.responses['401'] && audit.responses['403'] && audit.responses['429']);
    assert.equal(document.paths['/api/v1/monitors'].get.security, undefined, 'public reads need no token by default');
  });
});
