import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { timeFormat } from '../../src/web/format.js';
import { html } from '../../src/web/html.js';
import { layout, pagePaths } from '../../src/web/layout.js';
import { DAY, HOUR, NOW, batch, incident, passing, result, startPageServer, upState, type PageServer } from './support.js';

const evil = (what: string) => `<script>alert('${what}')</script>`;
const escaped = (what: string) => `&lt;script&gt;alert(&#39;${what}&#39;)&lt;/script&gt;`;

const CONFIG = `title: "${evil('config title')}"
monitors:
  - { id: evil, name: "${evil('monitor name')}", type: tcp, host: localhost, port: 1, component: "${evil('component')}" }
  - { id: other, name: Other, type: tcp, host: localhost, port: 2, component: "${evil('component')}" }
statusPages:
  - slug: evil
    title: "${evil('page title')}"
    description: "${evil('description')}"
    logo: "https://example.org/logo.png?a=1&b=\\"><script>"
    links: [{ title: "${evil('link title')}", url: "https://example.org/?q=\\"><script>alert(1)</script>" }]
`;

describe('escaping: text from config and from targets is rendered as text', () => {
  let server: PageServer;
  before(async () => {
    const outage = incident('i-evil', ['evil'], NOW - 2 * HOUR, undefined, `${evil('incident title')} is down`);
    const withEvidence = {
      ...outage,
      timeline: outage.timeline.map((entry) => ({
        ...entry,
        message: evil('timeline message'),
        evidence: { resultId: evil('result id'), vantage: evil('vantage'), at: entry.at, errorKind: 'http_status' as const, errorMessage: evil('evidence message'), peerAddress: evil('peer') },
      })),
    };
    server = await startPageServer({
      configYaml: CONFIG,
      seed: [
        batch({
          results: [
            ...passing('evil', NOW - 3 * DAY, NOW - 2 * HOUR, HOUR),
            result('evil', NOW - HOUR, { ok: false, error: { kind: 'http_status', message: evil('target error message') }, details: { type: 'http', headers: { server: evil('header') } }, vantage: evil('result vantage') }),
          ],
          incidentsOpened: [withEvidence],
        }),
      ],
      states: [upState('evil', { status: 'down', openIncidentId: 'i-evil' }), upState('other')],
    });
  });
  after(() => server.close());

  const pages: ReadonlyArray<{ url: string; texts: readonly string[] }> = [
    { url: '/', texts: ['page title', 'description', 'link title', 'component', 'monitor name', 'incident title', 'timeline message'] },
    { url: '/s/evil', texts: ['page title', 'component', 'monitor name'] },
    { url: '/incidents/i-evil', texts: ['incident title', 'timeline message', 'evidence message', 'vantage', 'result id', 'peer', 'monitor name'] },
    { url: '/history', texts: ['incident title'] },
    { url: '/monitors/evil', texts: ['monitor name', 'component', 'target error message', 'result vantage', 'incident title'] },
  ];
  for (const { url, texts } of pages) {
    it(url, async () => {
      const response = await server.get(url);
      assert.equal(response.statusCode, 200);
      assert.doesNotMatch(response.body, /<script>alert/);
      assert.doesNotMatch(response.body, /<script>[^<]/);
      for (const text of texts) assert.ok(response.body.includes(escaped(text)), `${url} shows ${text} as text`);
    });
  }

  it('attributes stay closed', async () => {
    const { body } = await server.get('/');
    assert.ok(body.includes('<img src="https://example.org/logo.png?a=1&amp;b=&quot;&gt;&lt;script&gt;" alt=""'));
    assert.ok(body.includes('<a href="https://example.org/?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" rel="noopener">'));
  });

  it('a 404 echoes the path as text', async () => {
    const response = await server.get('/%3Cscript%3Ealert(1)%3C/script%3E');
    assert.equal(response.statusCode, 404);
    assert.doesNotMatch(response.body, /<script>alert/);
  });

  it('links that are not http(s) are dropped at render time too', () => {
    const page = { slug: 'x', title: 'X', links: [{ title: 'Bad', url: 'javascript:alert(1)' }, { title: 'Good', url: 'https://example.org/' }], logo: 'javascript:alert(2)', theme: 'auto', timezone: 'UTC', components: [], isDefault: true } as const;
    const body = layout({ page, paths: pagePaths(page, true), current: 'home', times: timeFormat('UTC'), now: NOW, main: html`` }).value;
    assert.doesNotMatch(body, /javascript:/);
    assert.doesNotMatch(body, /<img/);
    assert.match(body, /<a href="https:\/\/example.org\/" rel="noopener">Good<\/a>/);
  });
});
