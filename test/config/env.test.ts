import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpolateEnv } from '../../src/config/env.js';
import { parse, problemsOf, yaml } from './support.js';

describe('interpolateEnv', () => {
  const env = { HOST: 'example.org', EMPTY: '', PORT: '8443' };
  const cases: ReadonlyArray<{ name: string; input: string; expected: string | { problem: string } }> = [
    { name: 'no variables', input: 'plain text $ and {}', expected: 'plain text $ and {}' },
    { name: 'a set variable', input: 'https://${HOST}/', expected: 'https://example.org/' },
    { name: 'two variables', input: '${HOST}:${PORT}', expected: 'example.org:8443' },
    { name: 'a default for an unset variable', input: '${NOPE:-fallback}', expected: 'fallback' },
    { name: 'a default for an empty variable', input: '${EMPTY:-fallback}', expected: 'fallback' },
    { name: 'an empty default', input: '[${NOPE:-}]', expected: '[]' },
    { name: 'a set variable wins over its default', input: '${HOST:-other}', expected: 'example.org' },
    { name: 'an empty variable without default is empty', input: '[${EMPTY}]', expected: '[]' },
    { name: '$${ is a literal ${', input: 'cost: $${HOST}', expected: 'cost: ${HOST}' },
    {
      name: 'an unset variable',
      input: 'Bearer ${TOKEN}',
      expected: { problem: 'expected environment variable TOKEN to be set, it is not (write ${TOKEN:-default} for a default)' },
    },
    { name: 'an unclosed reference', input: 'x ${HOST', expected: { problem: 'expected "}" to close "${" at character 3, got the end of the text' } },
    { name: 'a bad name', input: '${1HOST}', expected: { problem: 'expected an environment variable name like ${API_TOKEN}, got "${1HOST}"' } },
  ];
  for (const { name, input, expected } of cases) {
    it(name, () => {
      const result = interpolateEnv(input, env);
      if (typeof expected === 'string') {
        assert.ok(result.ok);
        assert.deepEqual({ text: result.text, changed: result.changed }, { text: expected, changed: input.includes('${') });
      } else assert.deepEqual(result, { ok: false, problem: expected.problem });
    });
  }

  it('lists the values taken from the environment, not fallbacks or literals', () => {
    const result = interpolateEnv('${HOST}:${PORT}/${NOPE:-fallback}$${HOST}', env);
    assert.ok(result.ok);
    assert.deepEqual(result.fromEnv, ['example.org', '8443']);
  });
});

describe('environment variables in the config', () => {
  const env = { TARGET: 'https://status.example.org/', PORT: '9090', TOKEN: 's3cret', DEBUG: 'true' };

  it('fills in values, which then read as the type their key expects, quoted or not', () => {
    const config = parse(
      yaml`
        title: Port ${'${PORT}'}
        server: { host: 127.0.0.1, port: "${'${PORT}'}" }
        monitors:
          - id: a
            type: http
            url: ${'${TARGET}'}
            headers: { Authorization: "Bearer ${'${TOKEN}'}" }
            verifyTls: ${'${DEBUG}'}
            maxRedirects: ${'${REDIRECTS:-2}'}
            interval: ${'${INTERVAL:-30s}'}
      `,
      env,
    );
    const monitor = config.monitors[0];
    const probe = monitor?.probe;
    assert.deepEqual(
      [config.title, config.server.port, monitor?.intervalMs, probe?.type === 'http' && [probe.url, probe.headers, probe.verifyTls, probe.maxRedirects]],
      ['Port 9090', 9090, 30_000, ['https://status.example.org/', { Authorization: 'Bearer s3cret' }, true, 2]],
    );
  });

  it('a filled-in value of the wrong kind is reported without showing the value', () => {
    assert.deepEqual(
      problemsOf(
        yaml`
          server: { port: "${'${PORT}'}" }
          monitors:
            - { id: a, type: tcp, host: localhost, port: 22, paused: "${'${TOKEN}'}" }
        `,
        { PORT: 'eighty', TOKEN: 's3cret' },
      ),
      [
        'candor.yaml:1:17 server.port: expected an integer from 1 to 65535, got "${PORT}" as filled in from the environment',
        'candor.yaml:3:60 monitors[0].paused: expected true or false, got "${TOKEN}" as filled in from the environment',
      ],
    );
  });

  it('a missing variable is a problem at its node, and each one is reported', () => {
    assert.deepEqual(
      problemsOf(
        yaml`
          monitors:
            - id: a
              type: http
              url: ${'${MISSING_URL}'}
              headers:
                Authorization: Bearer ${'${MISSING_TOKEN}'}
        `,
        env,
      ),
      [
        'candor.yaml:4:10 monitors[0].url: expected environment variable MISSING_URL to be set, it is not (write ${MISSING_URL:-default} for a default)',
        'candor.yaml:6:22 monitors[0].headers.Authorization: expected environment variable MISSING_TOKEN to be set, it is not (write ${MISSING_TOKEN:-default} for a default)',
      ],
    );
  });

  it('keys are not interpolated', () => {
    assert.deepEqual(
      problemsOf(
        yaml`
          monitors:
            - { id: a, type: tcp, host: localhost, port: 22, "${'${X}'}": 1 }
        `,
        { X: 'paused' },
      ).map((line) => line.split(': ')[0]),
      ['candor.yaml:2:52 monitors[0]["${X}"]'],
    );
  });
});
