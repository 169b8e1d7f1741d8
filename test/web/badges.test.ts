// Badge building, pure: messages, colours, uptime formatting and escaping, checked on the parsed SVG.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ShownMonitorStatus } from '../../src/read/status-page.js';
import { formatUptime, notFoundBadge, statusBadge, uptimeBadge, uptimeColor } from '../../src/web/badges.js';
import { findOne, parseXml } from '../support/xml.js';

/** badge-maker's colours for the names used. */
const HEX: Record<string, string> = { brightgreen: '#4b0', green: '#67ac09', yellowgreen: '#95991a', yellow: '#d8b800', orange: '#ea7233', red: '#dd4343', blue: '#007ec6', lightgrey: '#939393' };

function readBadge(svg: string): { title: string; fills: string[] } {
  const root = parseXml(svg);
  assert.equal(root.name, 'svg');
  const fills = [...svg.matchAll(/fill="(#[0-9a-f]{3,6})"/g)].map((m) => m[1]!);
  return { title: findOne(root, 'title').text, fills };
}

describe('status badge', () => {
  const cases: [ShownMonitorStatus, string, string][] = [
    ['up', 'up', 'brightgreen'],
    ['degraded', 'degraded', 'yellow'],
    ['down', 'down', 'red'],
    ['maintenance', 'maintenance', 'blue'],
    ['paused', 'paused', 'lightgrey'],
    ['pending', 'unknown', 'lightgrey'],
    ['unknown', 'unknown', 'lightgrey'],
  ];
  for (const [status, message, colour] of cases) {
    it(`${status} says ${message}, ${colour}`, () => {
      const badge = readBadge(statusBadge({ label: 'Shop', status }));
      assert.equal(badge.title, `Shop: ${message}`);
      assert.ok(badge.fills.includes(HEX[colour]!), `${colour} in ${badge.fills.join(' ')}`);
    });
  }

  it('escapes the label (monitor names and ?label= are arbitrary text)', () => {
    const svg = statusBadge({ label: '<script>alert("x")</script> & co\u0001', status: 'down' });
    assert.doesNotMatch(svg, /<script/);
    assert.equal(readBadge(svg).title, '<script>alert("x")</script> & co\uFFFD: down');
  });

  it('draws the requested style', () => {
    assert.match(statusBadge({ label: 'Shop', status: 'up', style: 'for-the-badge' }), /SHOP/);
  });
});

describe('uptime badge', () => {
  const formats: [string, number | null, string][] = [
    ['no checks', null, 'no data'],
    ['all passed', 1, '100%'],
    ['never rounds up to 100%', 0.999999, '99.99%'],
    ['two decimals', 0.9995, '99.95%'],
    ['rounds down', 0.99959, '99.95%'],
    ['trailing zeros kept', 0.999, '99.90%'],
    ['half', 0.5, '50.00%'],
    ['nothing passed', 0, '0.00%'],
  ];
  for (const [name, uptime, expected] of formats) {
    it(`formatUptime: ${name}`, () => assert.equal(formatUptime(uptime), expected));
  }

  const colours: [number | null, string][] = [
    [null, 'lightgrey'],
    [1, 'brightgreen'],
    [0.999, 'brightgreen'],
    [0.9989, 'green'],
    [0.99, 'green'],
    [0.985, 'yellowgreen'],
    [0.96, 'yellow'],
    [0.92, 'orange'],
    [0.5, 'red'],
  ];
  for (const [uptime, colour] of colours) {
    it(`uptimeColor(${uptime}) is ${colour}`, () => assert.equal(uptimeColor(uptime), colour));
  }

  it('shows the figure in the colour of its threshold', () => {
    const badge = readBadge(uptimeBadge({ label: 'Shop 30d', uptime: 0.9995, window: '30d' }));
    assert.equal(badge.title, 'Shop 30d: 99.95%');
    assert.ok(badge.fills.includes(HEX.brightgreen!));
  });

  it('not found badge is grey', () => {
    const badge = readBadge(notFoundBadge({ label: 'candor' }));
    assert.equal(badge.title, 'candor: not found');
    assert.ok(badge.fills.includes(HEX.lightgrey!));
  });
});
