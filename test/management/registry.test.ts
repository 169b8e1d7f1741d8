// The registry of monitors: one live map, listeners told exactly what changed, config ids first.
import { DEFAULT_API } from '../../src/config/api-schema.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MonitorChanges } from '../../src/domain/monitor-set.js';
import type { MonitorSpec } from '../../src/domain/monitor.js';
import { MonitorRegistry } from '../../src/management/registry.js';

const spec = (id: string, extra: Partial<MonitorSpec> = {}): MonitorSpec => ({
  id,
  name: id,
  probe: { type: 'tcp', host: '127.0.0.1', port: 1 },
  intervalMs: 60_000,
  timeoutMs: 10_000,
  failureThreshold: 3,
  successThreshold: 2,
  tags: [],
  component: 'Core',
  maintenance: [],
  paused: false,
  ...extra,
});
const api = (monitor: MonitorSpec) => ({ spec: monitor, record: { id: monitor.id, body: { id: monitor.id }, createdAt: 0, updatedAt: 0 } });
const ids = (changes: MonitorChanges) => ({ added: changes.added.map((m) => m.id), changed: changes.changed.map((m) => m.id), removed: changes.removed });

describe('MonitorRegistry', () => {
  it('keeps one live map and tells listeners exactly what changed', () => {
    const registry = new MonitorRegistry([spec('a'), spec('b')], { ...DEFAULT_API, allowPrivateTargets: false });
    const map = registry.monitors;
    const told: ReturnType<typeof ids>[] = [];
    registry.onChange((changes) => told.push(ids(changes)));

    registry.putApi(api(spec('x')));
    assert.equal(registry.monitors, map, 'the same map, changed in place');
    assert.deepEqual([...map.keys()], ['a', 'b', 'x']);
    assert.equal(map.get('x')?.publicTargetsOnly, true);
    assert.equal(registry.sourceOf('a'), 'config');
    assert.equal(registry.sourceOf('x'), 'api');

    registry.setMaintenance([{ id: 'w', monitorIds: [], components: ['Core'], window: { kind: 'fixed', startAt: 0, endAt: 1 }, createdAt: 0 }]);
    registry.setConfig([spec('a'), spec('c')], { ...DEFAULT_API, allowPrivateTargets: true });
    registry.removeApi('x');
    const revision = registry.revision;
    registry.setConfig([spec('a'), spec('c')], { ...DEFAULT_API, allowPrivateTargets: true });
    assert.equal(registry.revision, revision, 'an identical config changes nothing');

    assert.deepEqual(told, [
      { added: ['x'], changed: [], removed: [] },
      { added: [], changed: ['a', 'b', 'x'], removed: [] },
      // allowPrivateTargets lifts the guard from x; b leaves, c arrives.
      { added: ['c'], changed: ['x'], removed: ['b'] },
      { added: [], changed: [], removed: ['x'] },
    ]);
    assert.equal(map.get('x'), undefined);
    assert.equal(map.get('a')?.maintenance.length, 1);
  });

  it('lets a config monitor shadow an API monitor of the same id', () => {
    const registry = new MonitorRegistry([spec('a', { name: 'from config' })]);
    registry.load([api(spec('a', { name: 'from api' }))], []);
    assert.equal(registry.monitors.get('a')?.name, 'from config');
    assert.equal(registry.sourceOf('a'), 'config');
  });
});
