import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { secretsOf } from '../../src/config/secrets.js';
import { parse, problemsOf, yaml } from './support.js';

describe('the config names its secrets', () => {
  it('text from the environment, sensitive headers (with and without their scheme) and sensitive query values', () => {
    const config = parse(
      yaml`
        monitors:
          - id: a
            type: http
            url: "https://${'${API_HOST}'}/v1?api_key=literal-key-1&page=2"
            headers: { Authorization: "Bearer abc-def-123", X-Trace: "${'${TRACE}'}" }
          - { id: b, type: tcp, host: 127.0.0.1, port: "${'${PORT}'}" }
      `,
      { API_HOST: 'api.example', TRACE: 'trace-value', PORT: '8443' },
    );
    // The port is read as a number, not text: no secret. Short values (`2`) never are.
    assert.deepEqual(secretsOf(config), ['Bearer abc-def-123', 'abc-def-123', 'api.example', 'literal-key-1', 'trace-value']);
    assert.equal(config.monitors[1]!.secrets, config.monitors[0]!.secrets);
  });

  it('a config without any has no secrets field at all', () => {
    const config = parse(yaml`
      monitors:
        - { id: a, type: http, url: "https://example.org/" }
    `);
    assert.equal(config.monitors[0]!.secrets, undefined);
    assert.deepEqual(secretsOf(config), []);
  });

  it('reads public.excerpt and api.publicResults, and refuses anything else there', () => {
    const config = parse(yaml`
      api: { publicResults: false }
      monitors:
        - { id: a, type: http, url: "https://example.org/", public: { excerpt: true } }
        - { id: b, type: http, url: "https://example.org/" }
    `);
    assert.equal(config.api?.publicResults, false);
    assert.equal(config.api?.allowPrivateTargets, false);
    assert.deepEqual(config.monitors[0]!.public, { excerpt: true });
    assert.equal(config.monitors[1]!.public, undefined);
    assert.deepEqual(
      problemsOf(yaml`
        api: { publicResults: maybe }
        monitors:
          - { id: a, type: http, url: "https://example.org/", public: { excerpts: true } }
      `),
      [
        'candor.yaml:1:23 api.publicResults: expected true or false, got "maybe"',
        'candor.yaml:3:65 monitors[0].public.excerpts: unknown key "excerpts" (did you mean "excerpt"?); expected one of: excerpt',
      ],
    );
  });
});
