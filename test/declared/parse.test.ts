import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatuspage } from '../../src/declared/statuspage.js';
import { parseIncidentFeed } from '../../src/declared/feed.js';
import { atomFeed, summaryJson, type ScriptedPage } from '../support/status-page-server.js';

const NOW = Date.UTC(2026, 2, 1, 12);
const M = 60_000;
const page = (overrides: Partial<ScriptedPage> = {}): ScriptedPage => ({
  indicator: 'none',
  components: [{ name: 'API', status: 'operational', updatedAt: NOW - 60 * M }],
  incidents: [],
  updatedAt: NOW - M,
  ...overrides,
});

describe('parseStatuspage', () => {
  it('reads the indicator, components and unresolved incidents with their updates', () => {
    const outcome = parseStatuspage(
      JSON.stringify(summaryJson(page({ indicator: 'major', components: [{ name: 'API', status: 'major_outage', updatedAt: NOW - 2 * M }], incidents: [{ id: 'x1', name: 'API errors', createdAt: NOW - 3 * M, components: ['API'] }] }))),
      NOW,
    );
    assert.ok(outcome.ok);
    assert.equal(outcome.snapshot.overall, 'partial_outage');
    assert.deepEqual(outcome.snapshot.components, [{ name: 'API', status: 'major_outage', updatedAt: NOW - 2 * M }]);
    assert.equal(outcome.snapshot.incidents.length, 1);
    const [incident] = outcome.snapshot.incidents;
    assert.equal(incident?.externalId, 'x1');
    assert.equal(incident?.declaredAt, NOW - 3 * M);
    assert.deepEqual(incident?.components, ['API']);
    assert.deepEqual(incident?.updates.map((u) => u.status), ['investigating']);
  });

  const bad: [string, string, string, RegExp][] = [
    ['not JSON', '{"status": ', 'malformed', /not JSON/],
    ['an array', '[]', 'malformed', /\(document\): expected an object, got a list/],
    ['no status', '{"components": []}', 'malformed', /status: expected an object/],
    ['unknown indicator', '{"status": {"indicator": "fine"}}', 'malformed', /status.indicator: expected none, minor/],
    ['components not a list', '{"status": {"indicator": "none"}, "components": {}}', 'malformed', /components: expected a list/],
    ['unknown component status', '{"status": {"indicator": "none"}, "components": [{"name": "A", "status": "ok"}]}', 'malformed', /components\[0\].status: expected one of operational/],
    ['a time that is not a time', '{"status": {"indicator": "none"}, "incidents": [{"id": "1", "name": "x", "created_at": "yesterday"}]}', 'malformed', /incidents\[0\].created_at: expected an ISO 8601 time/],
    ['a time in the future', JSON.stringify({ status: { indicator: 'none' }, page: { updated_at: new Date(NOW + 3_600_000).toISOString() } }), 'time_in_future', /page update time is dated/],
    ['an incident from the future', JSON.stringify({ status: { indicator: 'major' }, incidents: [{ id: '1', name: 'x', created_at: new Date(NOW + 86_400_000).toISOString() }] }), 'time_in_future', /incident "x"/],
  ];
  for (const [name, text, kind, message] of bad) {
    it(`refuses ${name} as a failed poll (${kind}), never operational`, () => {
      const outcome = parseStatuspage(text, NOW);
      assert.equal(outcome.ok, false);
      if (outcome.ok) return;
      assert.equal(outcome.failure.kind, kind);
      assert.match(outcome.failure.message, message);
    });
  }

  it('reads Candor\'s own /api/v2 shape (indicator none, components, no incidents)', () => {
    const outcome = parseStatuspage(JSON.stringify({ page: { id: 'main', name: 'C', url: 'http://x/', time_zone: 'UTC', updated_at: new Date(NOW).toISOString() }, status: { indicator: 'none', description: 'All Systems Operational' }, components: [], incidents: [], scheduled_maintenances: [] }), NOW);
    assert.ok(outcome.ok);
    assert.equal(outcome.snapshot.overall, 'operational');
  });
});

describe('parseIncidentFeed', () => {
  it('reads Atom entries as incidents; an unresolved recent one makes the feed non-operational', () => {
    const outcome = parseIncidentFeed(atomFeed(page({ incidents: [{ id: 'a', name: 'Login errors', createdAt: NOW - 10 * M }, { id: 'b', name: 'Old one', createdAt: NOW - 600 * M, resolvedAt: NOW - 500 * M }] })), NOW);
    assert.ok(outcome.ok);
    assert.equal(outcome.snapshot.overall, 'partial_outage');
    assert.deepEqual(outcome.snapshot.incidents.map((i) => [i.title, i.declaredAt, i.resolvedAt]), [
      ['Login errors', NOW - 10 * M, undefined],
      ['Old one', NOW - 600 * M, NOW - 500 * M],
    ]);
    assert.equal(outcome.snapshot.incidents[0]?.url, 'https://status.example/incidents/a');
  });

  it('reads RSS, and a feed with every entry resolved is operational', () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>S</title><item><title>Resolved: API errors</title><guid>g1</guid><pubDate>${new Date(NOW - 60 * M).toUTCString()}</pubDate><description>It is resolved.</description></item></channel></rss>`;
    const outcome = parseIncidentFeed(rss, NOW);
    assert.ok(outcome.ok);
    assert.equal(outcome.snapshot.overall, 'operational');
    assert.equal(outcome.snapshot.incidents[0]?.externalId, 'g1');
  });

  const bad: [string, string, string][] = [
    ['garbage', 'this is << not xml', 'malformed'],
    ['HTML', '<html><body>hello</body></html>', 'malformed'],
    ['an entry without a time', '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title><entry><id>1</id><title>t</title></entry></feed>', 'malformed'],
    ['an entry from the future', atomFeed(page({ incidents: [{ id: 'f', name: 'Future', createdAt: NOW + 86_400_000 }] })), 'time_in_future'],
  ];
  for (const [name, text, kind] of bad) {
    it(`refuses ${name} as a failed poll (${kind})`, () => {
      const outcome = parseIncidentFeed(text, NOW);
      assert.equal(outcome.ok, false);
      if (!outcome.ok) assert.equal(outcome.failure.kind, kind);
    });
  }
});
