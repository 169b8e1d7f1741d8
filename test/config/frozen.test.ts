import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, yaml } from './support.js';

function everyObject(value: unknown, found: object[] = []): object[] {
  if (typeof value === 'object' && value !== null) {
    found.push(value);
    for (const child of Object.values(value)) everyObject(child, found);
  }
  return found;
}

describe('the loaded config', () => {
  const config = parse(yaml`
    defaults: { tags: [shared], headers: { A: b } }
    monitors:
      - id: a
        type: http
        url: https://example.org/
        expect: { status: [200], json: [{ path: a, equals: { deep: [1, { deeper: true }] } }] }
        maintenance: [{ cron: "0 3 * * *", duration: 1h }]
      - { id: b, type: dns, query: example.org, expect: { answers: [192.0.2.1] } }
  `);

  it('is frozen all the way down', () => {
    const objects = everyObject(config);
    assert.ok(objects.length > 20);
    for (const object of objects) assert.ok(Object.isFrozen(object), JSON.stringify(object));
  });

  it('refuses changes', () => {
    assert.throws(() => {
      (config.monitors as unknown as unknown[]).push({});
    }, TypeError);
    assert.throws(() => {
      (config.monitors[0]?.tags as unknown as string[])[0] = 'changed';
    }, TypeError);
  });
});
