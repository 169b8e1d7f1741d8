import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, problemsOf, yaml } from './support.js';

describe('declared sources in config', () => {
  it('reads a statuspage source with a component and interval, and a feed with the default interval', () => {
    const config = parse(yaml`
      monitors:
        - id: api
          type: tcp
          host: localhost
          port: 443
          declared: { type: statuspage, url: "https://status.example.com/api/v2/summary.json", component: API, interval: 30s }
        - id: web
          type: tcp
          host: localhost
          port: 443
          declared:
            type: feed
            url: https://status.example.com/history.atom
    `);
    assert.deepEqual(config.monitors[0]?.declared, { type: 'statuspage', url: 'https://status.example.com/api/v2/summary.json', component: 'API', intervalMs: 30_000 });
    assert.deepEqual(config.monitors[1]?.declared, { type: 'feed', url: 'https://status.example.com/history.atom', intervalMs: 120_000 });
  });

  const cases: { name: string; input: string; problems: string[] }[] = [
    {
      name: 'an unknown source type',
      input: yaml`
        monitors:
          - id: a
            type: tcp
            host: localhost
            port: 22
            declared: { type: twitter, url: "https://x.example/" }
      `,
      problems: ['candor.yaml:6:23 monitors[0].declared.type: expected one of statuspage, feed, got "twitter"'],
    },
    {
      name: 'an unknown key, a non-http URL and too short an interval',
      input: yaml`
        monitors:
          - id: a
            type: tcp
            host: localhost
            port: 22
            declared:
              type: statuspage
              url: ftp://status.example/
              interval: 1s
              components: API
      `,
      problems: [
        'candor.yaml:8:12 monitors[0].declared.url: expected an http:// or https:// URL like "https://status.example.org/api/v2/summary.json", got "ftp://status.example/"',
        'candor.yaml:9:17 monitors[0].declared.interval: expected a duration of at least 5s, got "1s"',
        'candor.yaml:10:7 monitors[0].declared.components: unknown key "components" (did you mean "component"?); expected one of: type, url, component, interval',
      ],
    },
    {
      name: 'a component on a feed, and an empty component name',
      input: yaml`
        monitors:
          - { id: a, type: tcp, host: localhost, port: 22, declared: { type: feed, url: "https://s.example/feed", component: API } }
          - { id: b, type: tcp, host: localhost, port: 22, declared: { type: statuspage, url: "https://s.example/s.json", component: "" } }
      `,
      problems: [
        'candor.yaml:2:107 monitors[0].declared.component: key "component" does not apply to a feed (a feed has no component statuses; use type: statuspage)',
        'candor.yaml:3:126 monitors[1].declared.component: expected the platform\'s component name, 1 to 200 characters, got ""',
      ],
    },
    {
      name: 'a missing url',
      input: yaml`
        monitors:
          - { id: a, type: tcp, host: localhost, port: 22, declared: { type: statuspage } }
      `,
      problems: ['candor.yaml:2:62 monitors[0].declared.url: missing required key "url" (the status page summary.json or the feed)'],
    },
  ];
  for (const c of cases) it(`refuses ${c.name} with line and column`, () => assert.deepEqual(problemsOf(c.input), c.problems));
});
