// Which changed settings a running hub keeps until a restart: one row per setting, and none for
// what a reload applies live.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { restartNeededBetween } from '../../src/management/reload.js';

const BASE = 'monitors:\n  - { id: a, type: tcp, host: 127.0.0.1, port: 9, tags: [eu] }\n';
const config = (extra = '') => parseConfig(BASE + extra, 'candor.yaml', {});

describe('restartNeededBetween', () => {
  const rows: { name: string; extra: string; expected: string[] }[] = [
    { name: 'nothing changed', extra: '', expected: [] },
    { name: 'title, retention, channels, routes, policies: live', extra: 'title: Other\nretention: { raw: 2d }\nchannels:\n  - { id: ops, url: "ntfy://alerts" }\nroutes:\n  - { events: [went_down], channels: [ops] }\npolicies:\n  - { id: nl, appliesTo: { tags: [eu] }, allow: { countries: [NL] } }\n', expected: [] },
    { name: 'api.allowPrivateTargets: live', extra: 'api: { allowPrivateTargets: true }\n', expected: [] },
    { name: 'the listening port', extra: 'server: { port: 9999 }\n', expected: ['server.host/server.port'] },
    { name: 'the public URL', extra: 'server: { publicUrl: "https://status.example" }\n', expected: ['server.publicUrl'] },
    { name: 'the vantage', extra: 'vantage: { name: elsewhere }\n', expected: ['vantage'] },
    { name: 'publicRead and rate limits', extra: 'api: { publicRead: false, rateLimit: { public: { max: 5, window: 1m } } }\n', expected: ['api.publicRead', 'api.rateLimit'] },
    { name: 'controls', extra: 'controls:\n  - { id: ref, type: tcp, host: 127.0.0.1, port: 10 }\n', expected: ['controls'] },
  ];
  for (const { name, extra, expected } of rows) {
    it(name, () => assert.deepEqual(restartNeededBetween(config(), config(extra)), expected));
  }
});
