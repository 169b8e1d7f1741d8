import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { componentStatus, overallStatus, type ComponentStatus } from '../../src/domain/status.js';
import type { MonitorStatus } from '../../src/domain/state.js';

describe('componentStatus', () => {
  const rows: { name: string; input: MonitorStatus[]; expected: ComponentStatus }[] = [
    { name: 'no monitors', input: [], expected: 'operational' },
    { name: 'all up', input: ['up', 'up'], expected: 'operational' },
    { name: 'pending counts as operational', input: ['pending', 'up'], expected: 'operational' },
    { name: 'one of two down', input: ['up', 'down'], expected: 'partial_outage' },
    { name: 'all down', input: ['down', 'down'], expected: 'major_outage' },
    { name: 'paused ignored: the only counted one is down', input: ['paused', 'down'], expected: 'major_outage' },
    { name: 'degraded', input: ['up', 'degraded'], expected: 'degraded_performance' },
    { name: 'down beats degraded', input: ['degraded', 'down', 'up'], expected: 'partial_outage' },
    { name: 'all maintenance', input: ['maintenance', 'maintenance'], expected: 'under_maintenance' },
    { name: 'some maintenance is still operational', input: ['maintenance', 'up'], expected: 'operational' },
  ];
  for (const row of rows) it(row.name, () => assert.equal(componentStatus(row.input), row.expected));
});

describe('overallStatus', () => {
  const rows: { input: ComponentStatus[]; indicator: string }[] = [
    { input: [], indicator: 'none' },
    { input: ['operational', 'operational'], indicator: 'none' },
    { input: ['operational', 'under_maintenance'], indicator: 'maintenance' },
    { input: ['degraded_performance', 'under_maintenance'], indicator: 'minor' },
    { input: ['partial_outage', 'degraded_performance'], indicator: 'major' },
    { input: ['major_outage', 'partial_outage'], indicator: 'critical' },
  ];
  for (const row of rows) it(`${row.input.join('+') || 'nothing'} -> ${row.indicator}`, () => assert.equal(overallStatus(row.input).indicator, row.indicator));
});
