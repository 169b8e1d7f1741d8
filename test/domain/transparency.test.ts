import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeclaredStatus, DeclaredStatusRow, StoredDeclaredIncident } from '../../src/domain/declared.js';
import {
  believedTime,
  compareOutage,
  disagreements,
  percentile,
  platformFigures,
  type DeclaredView,
  type ObservedOutage,
} from '../../src/domain/transparency.js';

const M = 60_000;
const T = Date.UTC(2026, 2, 1, 12);
const at = (minutes: number) => T + minutes * M;

/** Status rows from [minute first seen, minute last seen, status]. */
const rows = (...list: [number, number, DeclaredStatus, number?][]): DeclaredStatusRow[] =>
  list.map(([first, last, status, declared]) => ({ sourceId: 's', scope: '', status, firstSeen: at(first), lastSeen: at(last), ...(declared !== undefined ? { declaredAt: at(declared) } : {}) }));

const declaredIncident = (first: number, started: number, resolved?: number, extra: Partial<StoredDeclaredIncident> = {}): StoredDeclaredIncident => ({
  sourceId: 's',
  externalId: `d${first}`,
  title: 'Investigating errors',
  impact: 'major',
  declaredAt: at(first),
  startedAt: at(started),
  ...(resolved !== undefined ? { resolvedAt: at(resolved) } : {}),
  components: [],
  updates: [],
  firstSeen: at(first),
  lastSeen: at(resolved ?? first),
  ...extra,
});

const view = (statuses: DeclaredStatusRow[], incidents: StoredDeclaredIncident[] = [], scope = ''): DeclaredView => ({ sourceId: 's', scope, intervalMs: M, statuses, incidents });

const outage = (start: number, end?: number, scope: 'global' | 'partial' = 'global'): ObservedOutage => ({
  incidentId: `i${start}`,
  monitorId: 'web',
  startedAt: at(start),
  firstFailureResultId: `r${start}`,
  ...(end !== undefined ? { endedAt: at(end) } : {}),
  scope,
});

describe('compareOutage', () => {
  const cases: { name: string; outage: ObservedOutage; view: DeclaredView; now: number; verdict: string; lagMinutes?: number; kind?: string }[] = [
    { name: 'status turns major 7 minutes after the first failure: lag 7 min', outage: outage(0, 30), view: view(rows([-60, 6, 'operational'], [7, 40, 'major_outage'])), now: at(60), verdict: 'acknowledged', lagMinutes: 7, kind: 'status' },
    { name: 'declared incident seen at 7 (published at 7): lag 7 min', outage: outage(0, 30), view: view(rows([-60, 60, 'operational']), [declaredIncident(7, 5, 25)]), now: at(60), verdict: 'acknowledged', lagMinutes: 7, kind: 'incident' },
    { name: 'the earlier of status and incident counts', outage: outage(0, 30), view: view(rows([-60, 9, 'operational'], [10, 40, 'partial_outage']), [declaredIncident(4, 2, 25)]), now: at(60), verdict: 'acknowledged', lagMinutes: 4, kind: 'incident' },
    { name: 'page stays operational through an ended outage: unacknowledged', outage: outage(0, 30), view: view(rows([-60, 60, 'operational'])), now: at(60), verdict: 'unacknowledged' },
    { name: 'still open with nothing declared: pending', outage: outage(0), view: view(rows([-60, 60, 'operational'])), now: at(60), verdict: 'pending' },
    { name: 'a declaration made before Candor saw anything: lag 0', outage: outage(0, 30), view: view(rows([-20, 40, 'degraded_performance'])), now: at(60), verdict: 'acknowledged', lagMinutes: 0 },
    { name: 'unavailable is not an acknowledgement', outage: outage(0, 30), view: view(rows([-60, 4, 'operational'], [5, 40, 'unavailable'])), now: at(60), verdict: 'unacknowledged' },
    { name: 'a status that ended before the outage is no acknowledgement', outage: outage(0, 30), view: view(rows([-60, -40, 'major_outage'], [-39, 60, 'operational'])), now: at(60), verdict: 'unacknowledged' },
    { name: 'a status first seen after the outage ended is none either', outage: outage(0, 30), view: view(rows([-60, 34, 'operational'], [35, 60, 'major_outage'])), now: at(60), verdict: 'unacknowledged' },
    { name: 'an incident published later about that time is a late acknowledgement', outage: outage(0, 30), view: view(rows([-60, 200, 'operational']), [declaredIncident(120, 1, 29)]), now: at(200), verdict: 'acknowledged', lagMinutes: 120, kind: 'incident' },
    { name: 'an incident about another component does not cover it', outage: outage(0, 30), view: view(rows([-60, 60, 'operational']), [declaredIncident(5, 1, 29, { components: ['Payments'] })], 'API'), now: at(60), verdict: 'unacknowledged' },
    { name: 'an incident naming the component covers it', outage: outage(0, 30), view: view(rows([-60, 60, 'operational']), [declaredIncident(5, 1, 29, { components: ['api'] })], 'API'), now: at(60), verdict: 'acknowledged', lagMinutes: 5 },
    { name: 'an unresolved incident that left the page before the outage does not cover it', outage: outage(30, 40), view: view(rows([-60, 60, 'operational']), [{ ...declaredIncident(5, 5), lastSeen: at(10) }]), now: at(60), verdict: 'unacknowledged' },
    { name: 'an unresolved incident still listed covers an outage after it began', outage: outage(30, 40), view: view(rows([-60, 60, 'operational']), [{ ...declaredIncident(5, 5), lastSeen: at(60) }]), now: at(60), verdict: 'acknowledged', lagMinutes: 0 },
    { name: 'maintenance declared counts as acknowledgement', outage: outage(0, 30), view: view(rows([-60, 2, 'operational'], [3, 40, 'under_maintenance'])), now: at(60), verdict: 'acknowledged', lagMinutes: 3 },
    { name: "the platform's own time is believed within one interval before Candor saw it", outage: outage(0, 30), view: view(rows([-60, 7, 'operational'], [8, 40, 'major_outage', 7.5])), now: at(60), verdict: 'acknowledged', lagMinutes: 7.5 },
    { name: 'a backdated time is not believed', outage: outage(0, 30), view: view(rows([-60, 7, 'operational'], [8, 40, 'major_outage', -30])), now: at(60), verdict: 'acknowledged', lagMinutes: 8 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const compared = compareOutage(c.outage, c.view, c.now);
      assert.equal(compared.verdict, c.verdict);
      assert.equal(compared.lagMs === undefined ? undefined : compared.lagMs / M, c.lagMinutes);
      if (c.kind) assert.equal(compared.acknowledgement?.kind, c.kind);
      assert.equal(compared.incidentId, c.outage.incidentId);
      assert.equal(compared.firstFailureResultId, c.outage.firstFailureResultId);
    });
  }
});

describe('disagreements', () => {
  const window = { from: at(-60), to: at(60) };
  const minutes = (list: ReturnType<typeof disagreements>, kind: string) => list.filter((d) => d.kind === kind).reduce((s, d) => s + (d.to - d.from), 0) / M;
  const cases: { name: string; outages: ObservedOutage[]; view: DeclaredView; unobserved?: { from: number; to: number }[]; expect: Record<string, number> }[] = [
    { name: 'down 30 min while the page stays operational', outages: [outage(0, 30)], view: view(rows([-60, 60, 'operational'])), expect: { declared_operational_while_down: 30, declared_down_while_up: 0 } },
    { name: 'acknowledged at 7: 7 min of disagreement', outages: [outage(0, 30)], view: view(rows([-60, 6, 'operational'], [7, 60, 'major_outage'])), expect: { declared_operational_while_down: 7, declared_down_while_up: 30 } },
    { name: 'declared down while seen up, maintenance aside', outages: [], view: view(rows([-60, -31, 'operational'], [-30, -21, 'major_outage'], [-20, -11, 'under_maintenance'], [-10, 60, 'operational'])), expect: { declared_operational_while_down: 0, declared_down_while_up: 10 } },
    { name: 'unavailable time counts neither way', outages: [outage(0, 30)], view: view(rows([-60, -1, 'operational'], [0, 60, 'unavailable'])), expect: { declared_operational_while_down: 0, declared_down_while_up: 0 } },
    { name: 'time Candor did not observe is left out', outages: [outage(0, 30)], view: view(rows([-60, 60, 'operational'])), unobserved: [{ from: at(10), to: at(20) }], expect: { declared_operational_while_down: 20 } },
    { name: 'a partial outage is counted apart', outages: [outage(0, 30, 'partial')], view: view(rows([-60, 60, 'operational'])), expect: { declared_operational_while_down: 0, declared_operational_while_partial: 30 } },
    { name: 'a status last seen long ago holds only one interval past its last sighting', outages: [outage(0, 30)], view: view(rows([-60, 5, 'operational'])), expect: { declared_operational_while_down: 6 } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const list = disagreements(c.outages, c.view, window, c.unobserved ?? [], at(60), 'web');
      for (const [kind, expected] of Object.entries(c.expect)) assert.equal(minutes(list, kind), expected, kind);
      for (const d of list) assert.equal(d.sourceId, 's');
    });
  }
  it('links each span to the incident and the declared row behind it', () => {
    const [span] = disagreements([outage(0, 30)], view(rows([-60, 60, 'operational'])), window, [], at(60), 'web');
    assert.deepEqual(span, { from: at(0), to: at(30), kind: 'declared_operational_while_down', monitorId: 'web', sourceId: 's', declaredFirstSeen: at(-60), incidentId: 'i0' });
  });
});

describe('percentile (nearest rank)', () => {
  const cases: [number[], number, number | undefined][] = [
    [[], 0.5, undefined],
    [[7], 0.5, 7],
    [[1, 2, 3, 4], 0.5, 2],
    [[5, 1, 3], 0.5, 3],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9, 9],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9, 10],
  ];
  for (const [values, p, expected] of cases) it(`p${p * 100} of [${values}] is ${expected}`, () => assert.equal(percentile(values, p), expected));
});

describe('believedTime', () => {
  it('takes the stamped time only within one interval before first seen', () => {
    assert.equal(believedTime(undefined, 100, 10), 100);
    assert.equal(believedTime(95, 100, 10), 95);
    assert.equal(believedTime(80, 100, 10), 100);
    assert.equal(believedTime(120, 100, 10), 100);
  });
});

describe('platformFigures', () => {
  it('rolls lags, shares and minutes over the window, outages started in it only', () => {
    const statuses = rows([-3000, 6, 'operational'], [7, 30, 'major_outage'], [31, 99, 'operational'], [100, 102, 'partial_outage'], [103, 400, 'operational']);
    const monitors = [
      { monitorId: 'web', outages: [outage(-2000, -1990), outage(0, 30), outage(99, 130), outage(200, 240)], view: view(statuses), unobserved: [] },
    ];
    const figures = platformFigures(monitors, 1, at(400));
    assert.equal(figures.outages, 3); // the one 2000 minutes ago is outside one day
    assert.equal(figures.acknowledged, 2);
    assert.equal(figures.unacknowledged, 1);
    assert.equal(figures.pending, 0);
    assert.equal(figures.medianLagMs, 1 * M);
    assert.equal(figures.p90LagMs, 7 * M);
    assert.equal(figures.shareUnacknowledged, 1 / 3);
    assert.deepEqual(figures.comparisons.map((c) => [c.incidentId, c.verdict, c.lagMs === undefined ? null : c.lagMs / M]), [
      ['i0', 'acknowledged', 7],
      ['i99', 'acknowledged', 1],
      ['i200', 'unacknowledged', null],
    ]);
    // 7 (0–7) + 1 (99–100) + 27 (103–130: the operational row first seen at 103 holds from there) + 40 (200–240)
    assert.equal(figures.declaredOperationalWhileDownMs / M, 7 + 1 + 27 + 40);
  });
});
