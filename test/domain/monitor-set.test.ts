import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MaintenanceRecord } from '../../src/domain/management.js';
import type { MonitorSpec } from '../../src/domain/monitor.js';
import { diffMonitors, effectiveMonitors } from '../../src/domain/monitor-set.js';

const spec = (id: string, extra: Partial<MonitorSpec> = {}): MonitorSpec => ({
  id,
  name: id,
  probe: { type: 'tcp', host: '127.0.0.1', port: 1 },
  intervalMs: 60_000,
  timeoutMs: 10_000,
  failureThreshold: 3,
  successThreshold: 2,
  tags: [],
  component: id.toUpperCase(),
  maintenance: [],
  paused: false,
  ...extra,
});
const window = { kind: 'fixed', startAt: 0, endAt: 1000 } as const;
const record = (id: string, monitorIds: string[], components: string[]): MaintenanceRecord => ({ id, monitorIds, components, window, createdAt: 0 });

describe('effectiveMonitors', () => {
  const rows: { name: string; input: Parameters<typeof effectiveMonitors>[0]; expected: { id: string; windows: number; guarded: boolean }[] }[] = [
    { name: 'config first, then API, in order', input: { config: [spec('b'), spec('a')], api: [spec('z'), spec('c')], maintenance: [], allowPrivateTargets: true }, expected: [{ id: 'b', windows: 0, guarded: false }, { id: 'a', windows: 0, guarded: false }, { id: 'z', windows: 0, guarded: false }, { id: 'c', windows: 0, guarded: false }] },
    { name: 'API monitors may only reach public addresses by default; config ones are trusted', input: { config: [spec('a')], api: [spec('x')], maintenance: [], allowPrivateTargets: false }, expected: [{ id: 'a', windows: 0, guarded: false }, { id: 'x', windows: 0, guarded: true }] },
    { name: 'a window covers monitors by id', input: { config: [spec('a'), spec('b')], api: [], maintenance: [record('w', ['b'], [])], allowPrivateTargets: false }, expected: [{ id: 'a', windows: 0, guarded: false }, { id: 'b', windows: 1, guarded: false }] },
    { name: 'a window covers every monitor of a component, API ones too', input: { config: [spec('a', { component: 'Core' }), spec('b')], api: [spec('x', { component: 'Core' })], maintenance: [record('w', [], ['Core'])], allowPrivateTargets: true }, expected: [{ id: 'a', windows: 1, guarded: false }, { id: 'b', windows: 0, guarded: false }, { id: 'x', windows: 1, guarded: false }] },
    { name: 'windows add to those of the config', input: { config: [spec('a', { maintenance: [window] })], api: [], maintenance: [record('w', ['a'], []), record('v', [], ['A'])], allowPrivateTargets: true }, expected: [{ id: 'a', windows: 3, guarded: false }] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const got = effectiveMonitors(row.input).map((m) => ({ id: m.id, windows: m.maintenance.length, guarded: m.publicTargetsOnly === true }));
      assert.deepEqual(got, row.expected);
    });
  }
});

describe('diffMonitors', () => {
  const before = new Map([spec('a'), spec('b'), spec('c')].map((m) => [m.id, m]));
  const rows = [
    { name: 'nothing changed', after: [spec('a'), spec('b'), spec('c')], expected: { added: [], changed: [], removed: [] } },
    { name: 'one added', after: [spec('a'), spec('b'), spec('c'), spec('d')], expected: { added: ['d'], changed: [], removed: [] } },
    { name: 'one removed', after: [spec('a'), spec('c')], expected: { added: [], changed: [], removed: ['b'] } },
    { name: 'a name changed', after: [spec('a', { name: 'A' }), spec('b'), spec('c')], expected: { added: [], changed: ['a'], removed: [] } },
    { name: 'paused', after: [spec('a'), spec('b', { paused: true }), spec('c')], expected: { added: [], changed: ['b'], removed: [] } },
    { name: 'a window added', after: [spec('a'), spec('b'), spec('c', { maintenance: [window] })], expected: { added: [], changed: ['c'], removed: [] } },
    { name: 'order alone is no change', after: [spec('c'), spec('a'), spec('b')], expected: { added: [], changed: [], removed: [] } },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const changes = diffMonitors(before, row.after);
      assert.deepEqual({ added: changes.added.map((m) => m.id), changed: changes.changed.map((m) => m.id), removed: changes.removed }, row.expected);
    });
  }
});
