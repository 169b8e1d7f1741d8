// Feed routes over a real SQLite store: formats, content types, caching, per-page filtering, escaping end to end.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { batch, entry, id, incident, MINUTE, T0 } from '../storage/fixtures.js';
import { findAll, findOne, parseXml } from '../support/xml.js';
import { startPublicServer, statusPage, type PublicServer } from './public-server.js';

const MONITORS = `
  - { id: api, name: API, type: tcp, host: 127.0.0.1, port: 9, component: API }
  - { id: web, name: "Web <script>alert(1)</script> & co", type: tcp, host: 127.0.0.1, port: 9, component: Website }
`;
const NOW = T0 + 200 * 60 * MINUTE;

// 60 resolved API incidents an hour apart, then one open Website incident with a hostile error message.
const apiIncidents = Array.from({ length: 60 }, (_, n) =>
  incident(id('api-', n), T0 + n * 60 * MINUTE, {
    title: 'API is down',
    monitorIds: ['api'],
    state: 'resolved',
    resolvedAt: T0 + n * 60 * MINUTE + 5 * MINUTE,
    timeline: [entry(id('a', n), id('api-', n), T0 + n * 60 * MINUTE, { kind: 'first_failure', monitorId: 'api', message: 'First failed check: timeout' })],
  }),
);
const webIncident = incident('web-1', T0 + 100 * 60 * MINUTE, {
  title: 'Web <script>alert(1)</script> & co is down',
  monitorIds: ['web'],
  timeline: [
    entry('w1', 'web-1', T0 + 100 * 60 * MINUTE, { kind: 'first_failure', monitorId: 'web', message: 'First failed check: http_status (<script>steal()</script> ]]> &amp;)' }),
  ],
});

describe('feed routes', () => {
  let server: PublicServer;
  before(async () => {
    server = await startPublicServer({
      monitorsYaml: MONITORS,
      now: NOW,
      statusPages: [statusPage('main', { isDefault: true }), statusPage('web', { components: ['Website'] })],
      seed: [batch({ incidentsOpened: [...apiIncidents, webIncident] })],
    });
  });
  after(() => server.close());

  const formats: [string, RegExp][] = [
    ['atom', /^application\/atom\+xml/],
    ['rss', /^application\/rss\+xml/],
    ['json', /^application\/feed\+json/],
  ];
  for (const [extension, contentType] of formats) {
    it(`/feed.${extension}: content type, short caching, ETag with 304`, async () => {
      const response = await server.get(`/feed.${extension}`);
      assert.equal(response.statusCode, 200);
      assert.match(response.headers['content-type'] as string, contentType);
      assert.equal(response.headers['cache-control'], 'public, max-age=60');
      const etag = response.headers.etag as string;
      assert.ok(etag);
      assert.equal((await server.get(`/feed.${extension}`, { 'if-none-match': etag })).statusCode, 304);
    });
  }

  it('Atom: the 50 newest incidents, newest first, absolute links from the request host', async () => {
    const feed = parseXml((await server.get('/feed.atom')).body);
    const entries = findAll(feed, 'entry');
    assert.equal(entries.length, 50);
    assert.deepEqual(
      entries.slice(0, 3).map((e) => findOne(e, 'id').text),
      ['urn:candor:incident:web-1', `urn:candor:incident:${id('api-', 59)}`, `urn:candor:incident:${id('api-', 58)}`],
    );
    assert.equal(findOne(entries[0]!, 'link').attributes.href, 'http://status.example.test/incidents/web-1');
    const self = feed.children.find((c) => c.name === 'link' && c.attributes.rel === 'self');
    assert.equal(self?.attributes.href, 'http://status.example.test/feed.atom');
  });

  it('per page: only incidents touching monitors shown on that page, self link under /s/:slug', async () => {
    const atom = parseXml((await server.get('/s/web/feed.atom')).body);
    assert.deepEqual(
      findAll(atom, 'entry').map((e) => findOne(e, 'id').text),
      ['urn:candor:incident:web-1'],
    );
    const rss = parseXml((await server.get('/s/web/feed.rss')).body);
    assert.equal(findAll(rss, 'item').length, 1);
    assert.equal(findOne(rss, 'atom:link').attributes.href, 'http://status.example.test/s/web/feed.rss');
    const json = (await server.get('/s/web/feed.json')).json();
    assert.equal(json.feed_url, 'http://status.example.test/s/web/feed.json');
    assert.equal(json.home_page_url, 'http://status.example.test/s/web');
    assert.deepEqual(
      json.items.map((i: { id: string }) => i.id),
      ['urn:candor:incident:web-1'],
    );
  });

  it('an unknown page is a 404 problem', async () => {
    const response = await server.get('/s/nope/feed.rss');
    assert.equal(response.statusCode, 404);
    assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
  });

  it('escapes monitor names and error messages in Atom and RSS; JSON stays valid JSON', async () => {
    for (const url of ['/feed.atom', '/feed.rss', '/s/web/feed.atom', '/s/web/feed.rss']) {
      const body = (await server.get(url)).body;
      assert.doesNotMatch(body, /<script/i, url);
      const document = parseXml(body);
      const first = findAll(document, document.name === 'feed' ? 'entry' : 'item')[0]!;
      assert.equal(findOne(first, 'title').text, 'Web &lt;script&gt;alert(1)&lt;/script&gt; &amp; co is down (ongoing)', url);
      const content = findOne(first, document.name === 'feed' ? 'content' : 'content:encoded').text;
      assert.match(content, /http_status \(&lt;script&gt;steal\(\)&lt;\/script&gt; \]\]&gt; &amp;amp;\)/, url);
    }
    const json = JSON.parse((await server.get('/feed.json')).body);
    assert.equal(json.items[0].title, 'Web <script>alert(1)</script> & co is down (ongoing)');
    assert.doesNotMatch(json.items[0].content_html, /<script/);
  });

  it('is documented in /openapi.json with its media types', async () => {
    const { paths } = (await server.get('/openapi.json')).json();
    assert.ok(paths['/feed.atom'].get.responses['200'].content['application/atom+xml']);
    assert.ok(paths['/s/{slug}/feed.rss'].get.responses['200'].content['application/rss+xml']);
    assert.ok(paths['/feed.json'].get.responses['200'].content['application/feed+json']);
  });
});

describe('feeds behind a proxy', () => {
  it('links to server.publicUrl, whatever Host the request carries', async () => {
    const server = await startPublicServer({
      monitorsYaml: '  - { id: web, type: http, url: "http://127.0.0.1:9/" }\n',
      extraYaml: 'server: { publicUrl: "https://status.example.org/" }',
      now: Date.UTC(2026, 2, 10),
    });
    try {
      const json = (await server.get('/feed.json', { host: 'attacker.example' })).json();
      assert.equal(json.feed_url, 'https://status.example.org/feed.json');
      assert.equal(json.home_page_url, 'https://status.example.org/');
    } finally {
      await server.close();
    }
  });
});
