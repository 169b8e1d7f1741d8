import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { downtimeMinutes, formatDuration, formatLatency, formatUptime, timeFormat } from '../../src/web/format.js';
import { escapeHtml, html, safeHref, trusted } from '../../src/web/html.js';

describe('html', () => {
  const cases: ReadonlyArray<{ name: string; build: () => string; expected: string }> = [
    { name: 'escapes text', build: () => html`<p>${'<script>alert("x")</script> & \'q\''}</p>`.value, expected: '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</p>' },
    { name: 'escapes in attributes', build: () => html`<a title="${'" onmouseover="x'}">`.value, expected: '<a title="&quot; onmouseover=&quot;x">' },
    { name: 'keeps nested markup', build: () => html`<ul>${html`<li>${'<b>'}</li>`}</ul>`.value, expected: '<ul><li>&lt;b&gt;</li></ul>' },
    { name: 'joins lists', build: () => html`${['a', html`<i>b</i>`, ['<c>']]}`.value, expected: 'a<i>b</i>&lt;c&gt;' },
    { name: 'drops null, undefined and false; prints numbers', build: () => html`${null}${undefined}${false}${0}${1.5}`.value, expected: '01.5' },
    { name: 'trusted markup is not escaped', build: () => html`${trusted('<br>')}`.value, expected: '<br>' },
  ];
  for (const { name, build, expected } of cases) it(name, () => assert.equal(build(), expected));

  it('escapeHtml leaves plain text alone', () => assert.equal(escapeHtml('plain text 100%'), 'plain text 100%'));
});

describe('safeHref', () => {
  const cases: ReadonlyArray<[string, string | undefined]> = [
    ['https://example.org/docs', 'https://example.org/docs'],
    ['http://example.org/', 'http://example.org/'],
    ['/history', '/history'],
    ['javascript:alert(1)', undefined],
    ['JaVaScRiPt:alert(1)', undefined],
    ['data:text/html,<script>', undefined],
    ['//evil.example/', undefined],
    ['/\\evil.example/', undefined],
    ['not a url', undefined],
  ];
  for (const [url, expected] of cases) it(`${url} → ${String(expected)}`, () => assert.equal(safeHref(url), expected));
});

describe('format', () => {
  const durations: ReadonlyArray<[number, string]> = [
    [0, '0 s'],
    [44_600, '45 s'],
    [60_000, '1 min'],
    [12 * 60_000 + 5_000, '12 min'],
    [2 * 3_600_000, '2 h'],
    [2 * 3_600_000 + 5 * 60_000, '2 h 5 min'],
    [3 * 86_400_000 + 4 * 3_600_000, '3 d 4 h'],
  ];
  for (const [ms, text] of durations) it(`duration ${ms} ms is "${text}"`, () => assert.equal(formatDuration(ms), text));

  const uptimes: ReadonlyArray<[number | null, string]> = [
    [1, '100%'],
    [0.99999, '99.99%'],
    [0.9952, '99.52%'],
    [0.5, '50.00%'],
    [0, '0.00%'],
    [null, 'No data'],
  ];
  for (const [fraction, text] of uptimes) it(`uptime ${String(fraction)} is "${text}" (never rounded up to 100%)`, () => assert.equal(formatUptime(fraction), text));

  it('formats latency', () => {
    assert.deepEqual([formatLatency(87.4), formatLatency(1240), formatLatency(12_345), formatLatency(undefined), formatLatency(null)], ['87 ms', '1.24 s', '12.3 s', '—', '—']);
  });

  it('rounds downtime up to whole minutes', () => assert.deepEqual([downtimeMinutes(1), downtimeMinutes(60_000), downtimeMinutes(60_001)], [1, 1, 2]));

  const zones: ReadonlyArray<{ zone: string; at: number; text: string; name: string }> = [
    { zone: 'UTC', at: Date.UTC(2026, 2, 10, 10), text: '10 Mar 2026, 10:00 UTC', name: 'UTC' },
    { zone: 'Europe/Berlin', at: Date.UTC(2026, 2, 10, 10), text: '10 Mar 2026, 11:00 CET', name: 'CET' },
    { zone: 'Europe/Berlin', at: Date.UTC(2026, 6, 10, 10), text: '10 Jul 2026, 12:00 CEST', name: 'CEST' },
    { zone: 'Asia/Kolkata', at: Date.UTC(2026, 2, 10, 10), text: '10 Mar 2026, 15:30 GMT+5:30', name: 'GMT+5:30' },
    { zone: 'America/New_York', at: Date.UTC(2026, 2, 10, 10), text: '10 Mar 2026, 06:00 GMT-4', name: 'GMT-4' },
  ];
  for (const { zone, at, text, name } of zones) {
    it(`names the zone: ${zone}`, () => {
      const times = timeFormat(zone);
      assert.equal(times.dateTime(at), text);
      assert.equal(times.zoneName(at), name);
    });
  }
});
