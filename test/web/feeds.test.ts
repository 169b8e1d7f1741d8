// Feed building, pure: Atom, RSS and JSON Feed 1.1 from incidents, parsed back to check them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Incident } from '../../src/domain/state.js';
import { atomFeed, feedEntries, humanTime, jsonFeed, rssFeed, type FeedContext } from '../../src/web/feeds.js';
import { formatDuration } from '../../src/web/format.js';
import { escapeHtml, xmlText } from '../../src/web/xml-text.js';
import { entry, incident, MINUTE, T0 } from '../storage/fixtures.js';
import { findAll, findOne, parseXml } from '../support/xml.js';

const HOSTILE = '<script>alert("x")</script> & ]]> ]]>';

const context: FeedContext = {
  page: { slug: 'main', title: `Main ${HOSTILE}`, links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: true },
  pageUrl: 'http://status.example.test/',
  feedUrls: { atom: 'http://status.example.test/feed.atom', rss: 'http://status.example.test/feed.rss', json: 'http://status.example.test/feed.json' },
  incidentUrl: (id) => `http://status.example.test/incidents/${id}`,
  monitorName: (id) => (id === 'm1' ? `Shop ${HOSTILE}` : undefined),
  now: T0 + 60 * MINUTE,
};

const resolved: Incident = incident('inc-1', T0, {
  title: `Shop ${HOSTILE} is down`,
  state: 'resolved',
  resolvedAt: T0 + 12 * MINUTE,
  timeline: [
    entry('e1', 'inc-1', T0, { kind: 'first_failure', monitorId: 'm1', message: `First failed check: http_status (${HOSTILE}\u0000\u001b)` }),
    entry('e2', 'inc-1', T0 + 2 * MINUTE, { kind: 'confirmed_down', monitorId: 'm1', message: 'Shop confirmed down' }),
    entry('e3', 'inc-1', T0 + 12 * MINUTE, { kind: 'recovered', monitorId: 'm1', message: 'Shop recovered' }),
  ],
});
const open: Incident = incident('inc-2', T0 + 30 * MINUTE, {
  title: 'Gone is down',
  monitorIds: ['gone'],
  timeline: [entry('e4', 'inc-2', T0 + 30 * MINUTE, { kind: 'first_failure', monitorId: 'gone', message: 'First failed check: timeout' })],
});
const incidents = [open, resolved];

/** No raw markup from names or messages anywhere, escaped or CDATA'd. */
function assertNoRawScript(document: string): void {
  assert.doesNotMatch(document, /<script/i);
  assert.doesNotMatch(document, /[\u0000\u001b]/);
}

describe('feed entries', () => {
  it('one entry per incident in the order given, updated at the last timeline entry', () => {
    const entries = feedEntries(context, incidents);
    assert.deepEqual(
      entries.map((e) => [e.id, e.url, e.state, e.publishedAt, e.updatedAt]),
      [
        ['urn:candor:incident:inc-2', 'http://status.example.test/incidents/inc-2', 'open', T0 + 30 * MINUTE, T0 + 30 * MINUTE],
        ['urn:candor:incident:inc-1', 'http://status.example.test/incidents/inc-1', 'resolved', T0, T0 + 12 * MINUTE],
      ],
    );
    assert.equal(entries[0]!.title, 'Gone is down (ongoing)');
    assert.equal(entries[0]!.summary, 'Ongoing since 2026-03-10 10:30:00 UTC. Affected: gone.', 'unknown monitors are named by id');
    assert.equal(entries[1]!.summary, `Resolved 2026-03-10 10:12:00 UTC after 12 min (started 2026-03-10 10:00:00 UTC). Affected: Shop ${HOSTILE}.`);
  });

  it('content lists the timeline newest first, HTML-escaped', () => {
    const [, shop] = feedEntries(context, incidents);
    const items = [...shop!.contentHtml.matchAll(/<li>(.*)<\/li>/g)].map((m) => m[1]);
    assert.deepEqual(items, [
      '<time datetime="2026-03-10T10:12:00.000Z">2026-03-10 10:12:00 UTC</time>: Shop recovered',
      '<time datetime="2026-03-10T10:02:00.000Z">2026-03-10 10:02:00 UTC</time>: Shop confirmed down',
      '<time datetime="2026-03-10T10:00:00.000Z">2026-03-10 10:00:00 UTC</time>: First failed check: http_status (&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt; ]]&gt;\uFFFD\uFFFD)',
    ]);
    assert.match(shop!.contentText, /^Resolved .*\nAffected: Shop <script>/);
  });
});

describe('Atom', () => {
  const xml = atomFeed(context, incidents);
  const feed = parseXml(xml);

  it('is well-formed Atom with the page, self link and one entry per incident', () => {
    assert.equal(feed.name, 'feed');
    assert.equal(feed.attributes.xmlns, 'http://www.w3.org/2005/Atom');
    assert.equal(findOne(feed, 'id').text, 'urn:candor:page:main');
    assert.equal(findOne(feed, 'updated').text, new Date(T0 + 30 * MINUTE).toISOString(), 'the newest entry update');
    const links = feed.children.filter((c) => c.name === 'link').map((l) => [l.attributes.rel, l.attributes.href]);
    assert.deepEqual(links, [
      ['alternate', 'http://status.example.test/'],
      ['self', 'http://status.example.test/feed.atom'],
    ]);
    const entries = findAll(feed, 'entry');
    assert.deepEqual(
      entries.map((e) => [findOne(e, 'id').text, findOne(e, 'link').attributes.href, findOne(e, 'updated').text, findOne(e, 'published').text]),
      [
        ['urn:candor:incident:inc-2', 'http://status.example.test/incidents/inc-2', '2026-03-10T10:30:00.000Z', '2026-03-10T10:30:00.000Z'],
        ['urn:candor:incident:inc-1', 'http://status.example.test/incidents/inc-1', '2026-03-10T10:12:00.000Z', '2026-03-10T10:00:00.000Z'],
      ],
    );
  });

  it('escapes names and error messages: the feed title as XML text, entry titles and content as HTML', () => {
    assertNoRawScript(xml);
    assert.equal(findOne(feed, 'title').text, `Main ${HOSTILE}: incidents`);
    const shop = findAll(feed, 'entry')[1]!;
    const title = findOne(shop, 'title');
    assert.equal(title.attributes.type, 'html');
    assert.equal(title.text, escapeHtml(`Shop ${HOSTILE} is down (resolved)`));
    assert.match(findOne(shop, 'content').text, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; \]\]&gt; \]\]&gt;/);
  });

  it('is well-formed with no incidents, updated now', () => {
    const empty = parseXml(atomFeed(context, []));
    assert.equal(findAll(empty, 'entry').length, 0);
    assert.equal(findOne(empty, 'updated').text, new Date(context.now).toISOString());
  });
});

describe('RSS', () => {
  const xml = rssFeed(context, incidents);
  const rss = parseXml(xml);

  it('is well-formed RSS 2.0 with one item per incident', () => {
    assert.equal(rss.name, 'rss');
    assert.equal(rss.attributes.version, '2.0');
    const channel = findOne(rss, 'channel');
    assert.equal(findOne(channel, 'link').text, 'http://status.example.test/');
    assert.equal(findOne(channel, 'atom:link').attributes.href, 'http://status.example.test/feed.rss');
    const items = findAll(channel, 'item');
    assert.deepEqual(
      items.map((i) => [findOne(i, 'guid').text, findOne(i, 'guid').attributes.isPermaLink, findOne(i, 'link').text, findOne(i, 'pubDate').text]),
      [
        ['urn:candor:incident:inc-2', 'false', 'http://status.example.test/incidents/inc-2', 'Tue, 10 Mar 2026 10:30:00 GMT'],
        ['urn:candor:incident:inc-1', 'false', 'http://status.example.test/incidents/inc-1', 'Tue, 10 Mar 2026 10:00:00 GMT'],
      ],
    );
  });

  it('escapes names and error messages', () => {
    assertNoRawScript(xml);
    const shop = findAll(rss, 'item')[1]!;
    assert.equal(findOne(shop, 'title').text, escapeHtml(`Shop ${HOSTILE} is down (resolved)`));
    assert.match(findOne(shop, 'content:encoded').text, /&lt;script&gt;/);
    assert.equal(findOne(findOne(rss, 'channel'), 'title').text, `Main ${HOSTILE}: incidents`);
  });
});

describe('JSON Feed 1.1', () => {
  const text = JSON.stringify(jsonFeed(context, incidents));
  const feed = JSON.parse(text);

  it('has the 1.1 top-level fields and one item per incident', () => {
    assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
    assert.equal(feed.home_page_url, 'http://status.example.test/');
    assert.equal(feed.feed_url, 'http://status.example.test/feed.json');
    assert.deepEqual(
      feed.items.map((i: Record<string, unknown>) => [i.id, i.url, i.date_published, i.date_modified, i.tags]),
      [
        ['urn:candor:incident:inc-2', 'http://status.example.test/incidents/inc-2', '2026-03-10T10:30:00.000Z', '2026-03-10T10:30:00.000Z', ['open']],
        ['urn:candor:incident:inc-1', 'http://status.example.test/incidents/inc-1', '2026-03-10T10:00:00.000Z', '2026-03-10T10:12:00.000Z', ['resolved']],
      ],
    );
  });

  it('keeps plain-text fields as they are and escapes content_html', () => {
    const shop = feed.items[1];
    assert.equal(shop.title, `Shop ${HOSTILE} is down (resolved)`);
    assert.doesNotMatch(shop.content_html, /<script/);
    assert.match(shop.content_html, /&lt;script&gt;/);
    assert.match(shop.content_text, /<script>alert/);
  });
});

describe('text helpers', () => {
  const durations: [string, number, string][] = [
    ['seconds', 45_000, '45 s'],
    ['rounds to the second', 1_499, '1 s'],
    ['minutes', 12 * MINUTE, '12 min'],
    ['whole hours', 120 * MINUTE, '2 h'],
    ['hours and minutes', 125 * MINUTE, '2 h 5 min'],
    ['days and hours', (3 * 24 + 4) * 60 * MINUTE, '3 d 4 h'],
    ['never negative', -5, '0 s'],
  ];
  for (const [name, ms, expected] of durations) {
    it(`formatDuration: ${name}`, () => assert.equal(formatDuration(ms), expected));
  }

  it('humanTime is UTC and locale-free', () => assert.equal(humanTime(T0), '2026-03-10 10:00:00 UTC'));

  const texts: [string, string, string, string][] = [
    ['markup', '<b>"x"</b>', '<b>"x"</b>', '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'],
    ['ampersand and apostrophe', "a & b's", "a & b's", 'a &amp; b&#39;s'],
    ['control characters', 'a\u0000b\u001bc\td\n', 'a\uFFFDb\uFFFDc\td\n', 'a\uFFFDb\uFFFDc\td\n'],
    ['lone surrogate', 'x\uD800y', 'x\uFFFDy', 'x\uFFFDy'],
    ['emoji (a surrogate pair) kept', 'up 🎉', 'up 🎉', 'up 🎉'],
  ];
  for (const [name, input, asXml, asHtml] of texts) {
    it(`xmlText and escapeHtml: ${name}`, () => {
      assert.equal(xmlText(input), asXml);
      assert.equal(escapeHtml(input), asHtml);
    });
  }
});
