// `api:` access, body size, rate limits and CORS: defaults, values and problems at line and column.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_API } from '../../src/config/api-schema.js';
import { parse, problemsOf } from './support.js';

const MONITORS = 'monitors:\n  - { id: a, type: tcp, host: 127.0.0.1, port: 9 }\n';

describe('config: api', () => {
  it('has defaults: public reads, 1 MiB bodies, CORS off, per-address limits', () => {
    assert.equal(parse(MONITORS).api, undefined);
    assert.deepEqual(parse(`api: {}\n${MONITORS}`).api, DEFAULT_API);
    assert.deepEqual(DEFAULT_API, {
      publicResults: true,
      publicRead: true,
      bodyLimitBytes: 1_048_576,
      corsOrigins: [],
      allowPrivateTargets: false,
      rateLimit: { public: { max: 1200, windowMs: 60_000 }, failedAuth: { max: 20, windowMs: 600_000 } },
    });
  });

  const accepted: ReadonlyArray<{ name: string; api: string; expected: Partial<typeof DEFAULT_API> }> = [
    { name: 'private reads', api: '{ publicRead: false }', expected: { publicRead: false } },
    { name: 'a body limit as a size', api: '{ bodyLimit: 64KiB }', expected: { bodyLimitBytes: 65_536 } },
    { name: 'a body limit in bytes', api: '{ bodyLimit: 2048 }', expected: { bodyLimitBytes: 2048 } },
    { name: 'CORS origins, normalised', api: '{ cors: { origins: ["https://Dash.Example.org", "http://127.0.0.1:3000"] } }', expected: { corsOrigins: ['https://dash.example.org', 'http://127.0.0.1:3000'] } },
    { name: 'CORS for any origin', api: '{ cors: { origins: ["*"] } }', expected: { corsOrigins: ['*'] } },
    {
      name: 'rate limits, one part given',
      api: '{ rateLimit: { public: { max: 100 }, failedAuth: { window: 1h } } }',
      expected: { rateLimit: { public: { max: 100, windowMs: 60_000 }, failedAuth: { max: 20, windowMs: 3_600_000 } } },
    },
  ];
  for (const { name, api, expected } of accepted) {
    it(`accepts ${name}`, () => {
      assert.deepEqual(parse(`api: ${api}\n${MONITORS}`).api, { ...DEFAULT_API, ...expected });
    });
  }

  it('server.trustProxy: addresses and CIDR ranges of the proxies in front', () => {
    assert.deepEqual(parse(`server: { trustProxy: [127.0.0.1, "10.0.0.0/8", "::1", "fd00::/8"] }\n${MONITORS}`).server.trustProxy, ['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    assert.deepEqual(problemsOf(`server: { trustProxy: [proxy.example, "10.0.0.0/33"] }\n${MONITORS}`), [
      'candor.yaml:1:24 server.trustProxy[0]: expected an IP address or a CIDR range like "10.0.0.0/8", got "proxy.example"',
      'candor.yaml:1:39 server.trustProxy[1]: expected an IP address or a CIDR range like "10.0.0.0/8", got "10.0.0.0/33"',
    ]);
  });

  const refused: ReadonlyArray<{ name: string; api: string; problem: string }> = [
    { name: 'an unknown key', api: '{ publicReads: false }', problem: 'candor.yaml:1:8 api.publicReads: unknown key "publicReads" (did you mean "publicRead"?); expected one of: publicResults, publicRead, bodyLimit, cors, rateLimit, allowPrivateTargets' },
    { name: 'a non-boolean publicRead', api: '{ publicRead: sometimes }', problem: 'candor.yaml:1:20 api.publicRead: expected true or false, got "sometimes"' },
    { name: 'a body limit of nothing', api: '{ bodyLimit: 0 }', problem: 'candor.yaml:1:19 api.bodyLimit: expected an integer from 1 to 67108864, got 0' },
    { name: 'a body limit too large', api: '{ bodyLimit: 1GiB }', problem: 'candor.yaml:1:19 api.bodyLimit: expected a size from 1B to 64MiB like "1MiB", or a number of bytes, got "1GiB"' },
    { name: 'an origin with a path', api: '{ cors: { origins: ["https://a.example/x"] } }', problem: 'candor.yaml:1:26 api.cors.origins[0]: expected an origin like "https://dash.example.org" (scheme and host, no path), or "*", got "https://a.example/x"' },
    { name: 'cors without origins', api: '{ cors: {} }', problem: 'candor.yaml:1:14 api.cors.origins: missing required key "origins" (a list like ["https://dash.example.org"], or ["*"])' },
    { name: 'a zero rate', api: '{ rateLimit: { public: { max: 0 } } }', problem: 'candor.yaml:1:36 api.rateLimit.public.max: expected an integer from 1 to 1000000000, got 0' },
    { name: 'a window too short', api: '{ rateLimit: { failedAuth: { window: 10ms } } }', problem: 'candor.yaml:1:43 api.rateLimit.failedAuth.window: expected a duration of at least 1s, got "10ms"' },
  ];
  for (const { name, api, problem } of refused) {
    it(`refuses ${name}, saying where`, () => {
      assert.deepEqual(problemsOf(`api: ${api}\n${MONITORS}`), [problem]);
    });
  }
});
