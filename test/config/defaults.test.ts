import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CandorConfig, MonitorSpec } from '../../src/domain/monitor.js';
import { parse, yaml } from './support.js';

const minimal = yaml`
  monitors:
    - { id: web, type: http, url: "http://127.0.0.1:8080/" }
    - { id: ssh, type: tcp, host: 127.0.0.1, port: 22 }
    - { id: dns, type: dns, query: example.org }
    - { id: cert, type: tls, host: example.org }
    - { id: cert-ip, type: tls, host: 192.0.2.1 }
`;

function monitor(config: CandorConfig, id: string): MonitorSpec {
  const found = config.monitors.find((candidate) => candidate.id === id);
  assert.ok(found, `monitor ${id}`);
  return found;
}

describe('defaults', () => {
  const config = parse(minimal);
  const cases: ReadonlyArray<{ name: string; actual: () => unknown; expected: unknown }> = [
    { name: 'title', actual: () => config.title, expected: 'Candor' },
    { name: 'server', actual: () => config.server, expected: { host: '127.0.0.1', port: 8080 } },
    { name: 'retention', actual: () => config.retention, expected: { rawMs: 30 * 86_400_000, rollupsMs: 400 * 86_400_000 } },
    { name: 'sourcePath', actual: () => config.sourcePath, expected: '/etc/candor/candor.yaml' },
    { name: 'name is the id', actual: () => monitor(config, 'web').name, expected: 'web' },
    { name: 'component is the name', actual: () => monitor(config, 'web').component, expected: 'web' },
    { name: 'interval 60s', actual: () => monitor(config, 'web').intervalMs, expected: 60_000 },
    { name: 'timeout 10s', actual: () => monitor(config, 'web').timeoutMs, expected: 10_000 },
    { name: 'failureThreshold 3', actual: () => monitor(config, 'web').failureThreshold, expected: 3 },
    { name: 'successThreshold 2', actual: () => monitor(config, 'web').successThreshold, expected: 2 },
    { name: 'no degradedAfter', actual: () => 'degradedAfterMs' in monitor(config, 'web'), expected: false },
    { name: 'no tags', actual: () => monitor(config, 'web').tags, expected: [] },
    { name: 'no maintenance', actual: () => monitor(config, 'web').maintenance, expected: [] },
    { name: 'not paused', actual: () => monitor(config, 'web').paused, expected: false },
    {
      name: 'http probe',
      actual: () => monitor(config, 'web').probe,
      expected: {
        type: 'http',
        url: 'http://127.0.0.1:8080/',
        method: 'GET',
        headers: {},
        maxRedirects: 5,
        verifyTls: true,
        maxBodyBytes: 1_048_576,
        keepHeaders: ['server', 'content-type', 'cache-control', 'via', 'x-cache', 'cf-ray', 'age'],
        expect: { status: [[200, 399]] },
      },
    },
    { name: 'tcp probe', actual: () => monitor(config, 'ssh').probe, expected: { type: 'tcp', host: '127.0.0.1', port: 22 } },
    {
      name: 'dns probe: record A, system resolver, any answer',
      actual: () => monitor(config, 'dns').probe,
      expected: { type: 'dns', name: 'example.org', recordType: 'A', expect: {} },
    },
    {
      name: 'tls probe: port 443, SNI is the host name',
      actual: () => monitor(config, 'cert').probe,
      expected: { type: 'tls', host: 'example.org', port: 443, servername: 'example.org', expect: {} },
    },
    {
      name: 'tls probe on an IP address: no SNI',
      actual: () => monitor(config, 'cert-ip').probe,
      expected: { type: 'tls', host: '192.0.2.1', port: 443, expect: {} },
    },
  ];
  for (const { name, actual, expected } of cases) it(name, () => assert.deepEqual(actual(), expected));
});

describe('derived defaults and the defaults block', () => {
  const cases: ReadonlyArray<{ name: string; input: string; id: string; pick: (monitor: MonitorSpec) => unknown; expected: unknown }> = [
    {
      name: 'the default timeout shrinks to a short interval',
      input: yaml`
        monitors:
          - { id: a, type: tcp, host: localhost, port: 22, interval: 5s }
      `,
      id: 'a',
      pick: (m) => [m.intervalMs, m.timeoutMs],
      expected: [5_000, 5_000],
    },
    {
      name: 'component defaults to the name',
      input: yaml`
        monitors:
          - { id: a, name: Alpha, type: tcp, host: localhost, port: 22 }
      `,
      id: 'a',
      pick: (m) => [m.name, m.component],
      expected: ['Alpha', 'Alpha'],
    },
    {
      name: 'a dns monitor without query resolves its name',
      input: yaml`
        monitors:
          - { id: d, type: dns, name: example.org, resolver: "1.1.1.1" }
      `,
      id: 'd',
      pick: (m) => [m.name, m.probe],
      expected: ['example.org', { type: 'dns', name: 'example.org', recordType: 'A', resolver: { host: '1.1.1.1', port: 53 }, expect: {} }],
    },
    {
      name: 'resolver forms',
      input: yaml`
        monitors:
          - { id: a, type: dns, query: example.org, resolver: "[2606:4700::1111]:5353", recordType: AAAA }
      `,
      id: 'a',
      pick: (m) => (m.probe.type === 'dns' ? [m.probe.resolver, m.probe.recordType] : undefined),
      expected: [{ host: '2606:4700::1111', port: 5353 }, 'AAAA'],
    },
    {
      name: 'the defaults block applies to every monitor',
      input: yaml`
        defaults:
          interval: 2m
          timeout: 20s
          failureThreshold: 5
          successThreshold: 1
          degradedAfter: 3s
          tags: [core]
          paused: true
        monitors:
          - { id: a, type: tcp, host: localhost, port: 22 }
      `,
      id: 'a',
      pick: (m) => [m.intervalMs, m.timeoutMs, m.failureThreshold, m.successThreshold, m.degradedAfterMs, m.tags, m.paused],
      expected: [120_000, 20_000, 5, 1, 3_000, ['core'], true],
    },
    {
      name: 'a monitor overrides the defaults block; lists replace',
      input: yaml`
        defaults: { interval: 2m, tags: [core] }
        monitors:
          - { id: a, type: tcp, host: localhost, port: 22, interval: 30s, tags: [edge] }
      `,
      id: 'a',
      pick: (m) => [m.intervalMs, m.tags],
      expected: [30_000, ['edge']],
    },
    {
      name: 'http defaults apply to http monitors; request headers merge by name',
      input: yaml`
        defaults:
          method: head
          headers: { User-Agent: candor/1, Accept: "*/*" }
          maxRedirects: 0
          verifyTls: false
          maxBodySize: 64KiB
          keepHeaders: [Server, X-Served-By]
        monitors:
          - id: a
            type: http
            url: https://example.org/
            headers: { user-agent: other/2, X-Count: 5 }
      `,
      id: 'a',
      pick: (m) => m.probe,
      expected: {
        type: 'http',
        url: 'https://example.org/',
        method: 'HEAD',
        headers: { Accept: '*/*', 'user-agent': 'other/2', 'X-Count': '5' },
        maxRedirects: 0,
        verifyTls: false,
        maxBodyBytes: 65_536,
        keepHeaders: ['server', 'x-served-by'],
        expect: { status: [[200, 399]] },
      },
    },
    {
      name: 'http defaults are ignored by other types',
      input: yaml`
        defaults: { headers: { A: b }, verifyTls: false }
        monitors:
          - { id: a, type: tcp, host: localhost, port: 22 }
      `,
      id: 'a',
      pick: (m) => m.probe,
      expected: { type: 'tcp', host: 'localhost', port: 22 },
    },
    {
      name: 'http expectations',
      input: yaml`
        monitors:
          - id: a
            type: http
            method: POST
            url: https://example.org/api
            body: '{"q":1}'
            expect:
              status: [200, "3xx", "401-403"]
              maxLatency: 2s
              bodyContains: ok
              bodyMatches: "^\\{.*\\}$"
              json:
                - { path: "data.items[0].status", equals: { up: true } }
                - { path: $, exists: true }
              header:
                - { name: content-type, contains: json }
                - { name: server, matches: "^(nginx|envoy)" }
                - { name: x-debug, exists: false }
      `,
      id: 'a',
      pick: (m) => (m.probe.type === 'http' ? [m.probe.body, m.probe.expect] : undefined),
      expected: [
        '{"q":1}',
        {
          status: [[200, 200], [300, 399], [401, 403]],
          maxLatencyMs: 2_000,
          bodyContains: ['ok'],
          bodyMatches: '^\\{.*\\}$',
          json: [
            { path: 'data.items[0].status', equals: { up: true } },
            { path: '$', exists: true },
          ],
          headers: [
            { name: 'content-type', contains: 'json' },
            { name: 'server', matches: '^(nginx|envoy)' },
            { name: 'x-debug', exists: false },
          ],
        },
      ],
    },
  ];
  for (const { name, input, id, pick, expected } of cases) {
    it(name, () => assert.deepEqual(pick(monitor(parse(input), id)), expected));
  }

  it('top-level blocks map to title, server and retention', () => {
    const config = parse(yaml`
      title: Observatory
      server: { host: 0.0.0.0, port: 9000 }
      retention: { raw: 7d, rollups: 2w }
      monitors:
        - { id: a, type: tcp, host: localhost, port: 22 }
    `);
    assert.deepEqual(
      [config.title, config.server, config.retention],
      ['Observatory', { host: '0.0.0.0', port: 9000 }, { rawMs: 7 * 86_400_000, rollupsMs: 14 * 86_400_000 }],
    );
  });
});
