// The provenance ledger end to end: a scripted loopback DNS server moves a name from 127.0.0.2
// (Example Net A, NL, certificate from test CA A) to 127.0.0.3 (Example Net B, US, test CA B) and
// back; the real probe observes it through the hub's schedule, the ledger keeps changes only, a
// policy allowing NL alone is broken and complied with again, and the API tells all of it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { parseConfig } from '../../src/config/load.js';
import type { Observation } from '../../src/domain/observation.js';
import { probeObserver } from '../../src/provenance/hub-observer.js';
import { startHubProvenance, type HubProvenance } from '../../src/provenance/hub-provenance.js';
import { createIds } from '../../src/runtime/ids.js';
import { certificateFromNewCa } from '../support/certs.js';
import { startDnsServer, type RunningDnsServer, type TestZoneEntry } from '../support/dns-server.js';
import { FakeTime } from '../support/fake-time.js';
import { fixtureIpDb } from '../support/ipdb-fixture.js';
import { startLoopbackSite, type LoopbackSite } from '../support/provenance-servers.js';
import { startSeededServer, type SeededServer } from '../support/seeded-server.js';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { axeViolations, CHROMIUM, describeViolations, launchBrowser } from '../support/browser.js';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

const HOST = 'app.example.test';
const MINUTE = 60_000;
const NAMES = { dns: [HOST], ips: ['127.0.0.2', '127.0.0.3'] };

describe('provenance ledger end to end', () => {
  const caA = certificateFromNewCa('Candor Test CA A', NAMES);
  const caB = certificateFromNewCa('Candor Test CA B', NAMES);
  const time = new FakeTime(Date.UTC(2026, 2, 10, 10));
  const zone: Record<string, TestZoneEntry> = {};
  const pointAt = (address: string) => {
    zone[HOST] = { records: [{ type: 'A', ttl: 60, data: address }] };
  };
  let dns: RunningDnsServer;
  let siteA: LoopbackSite;
  let siteB: LoopbackSite;
  let server: SeededServer;
  let provenance: HubProvenance;

  before(async () => {
    siteA = await startLoopbackSite('127.0.0.2', { certificate: caA.leaf, chain: [caA.ca] });
    siteB = await startLoopbackSite('127.0.0.3', { certificate: caB.leaf, chain: [caB.ca], port: siteA.port });
    pointAt('127.0.0.2');
    dns = await startDnsServer(zone);
    const config = parseConfig(
      `monitors:
  - { id: app, name: App, type: tls, host: ${HOST}, port: ${siteA.port}, tags: [eu] }
provenance: { interval: 10m }
policies:
  - { id: eu-only, appliesTo: { tags: [eu] }, allow: { countries: [NL] } }
`,
      'candor.yaml',
      {},
      '/etc/candor/candor.yaml',
    );
    server = await startSeededServer({ config, now: () => time.now() });
    provenance = await startHubProvenance({
      config,
      store: server.store,
      ids: createIds(time),
      log: pino({ level: 'silent' }),
      clock: time,
      monitors: new Map(config.monitors.map((m) => [m.id, m])),
      observe: probeObserver({ ipdb: fixtureIpDb(), timeoutMs: 5_000, systemResolvers: () => [`127.0.0.1:${dns.port}`] }),
    });
  });
  after(async () => {
    await provenance?.stop();
    await server?.close();
    await Promise.all([siteA?.close(), siteB?.close(), dns?.close()]);
  });

  const api = async (url: string) => {
    const response = await server.app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 200, url);
    return response.json();
  };

  /** A check of the monitor finished now (peer as given): the schedule decides whether a snapshot is due. */
  async function checked(minutesLater: number, peerAddress: string): Promise<boolean> {
    time.jump(minutesLater * MINUTE);
    const before = await server.store.provenance.current('app');
    const seenBefore = before.map((e) => `${e.id}:${e.lastSeen}`).join();
    provenance.noticed({ monitorId: 'app', vantage: 'local', plannedAt: time.now(), startedAt: time.now(), ok: true, phases: { total: 1 }, peerAddress, details: { type: 'tls' } } as unknown as Observation);
    // Bounded wait for the snapshot to be written (it runs in the background, like after a real check).
    for (let i = 0; i < 40; i++) {
      const now = await server.store.provenance.current('app');
      if (now.map((e) => `${e.id}:${e.lastSeen}`).join() !== seenBefore) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  const changeKinds = async () => ((await api('/api/v1/provenance/changes?limit=1000')).changes as { kind: string }[]).map((c) => c.kind).sort();
  const ledgerRows = async () => (await api(`/api/v1/monitors/app/provenance/history?from=0&to=${time.now() + 1}`)).entries.length as number;

  it('keeps an unchanged host as one row', async () => {
    assert.equal(await checked(0, '127.0.0.2'), true, 'the first check takes a snapshot');
    assert.equal(await checked(1, '127.0.0.2'), false, 'not again within the interval');
    assert.equal(await checked(10, '127.0.0.2'), true);
    assert.equal(await checked(10, '127.0.0.2'), true);
    const [now] = (await api('/api/v1/monitors/app/provenance')).vantages;
    assert.deepEqual(now.view.addresses, ['127.0.0.2']);
    assert.deepEqual(now.view.networks, [{ asn: 64500, org: 'Example Net A' }]);
    assert.deepEqual(now.view.countries, ['NL']);
    assert.match(now.view.certificate.issuer, /Candor Test CA A/);
    assert.equal(now.observations, 3);
    assert.equal(await ledgerRows(), 1);
    assert.deepEqual(await changeKinds(), []);
    assert.deepEqual((await api('/api/v1/policies')).policies[0].violations, []);
  });

  it('records a move to another network, country and issuer as one event of each kind and a policy violation', async () => {
    pointAt('127.0.0.3');
    assert.equal(await checked(10, '127.0.0.2'), true);
    assert.deepEqual(await changeKinds(), ['addresses', 'certificate', 'certificate_issuer', 'country', 'network']);
    // The check now connects to the new address, which the snapshot already lists: nothing is brought forward.
    assert.equal(await checked(2, '127.0.0.3'), false);
    // An address no snapshot listed brings one forward (a minute after the last at the earliest)...
    assert.equal(await checked(1, '127.0.0.9'), true);
    // ...and an unchanged snapshot extends the row instead of adding one.
    assert.equal(await ledgerRows(), 2);
    assert.deepEqual(await changeKinds(), ['addresses', 'certificate', 'certificate_issuer', 'country', 'network']);
    const { policies } = await api('/api/v1/policies');
    assert.deepEqual(
      policies[0].violations.map((v: { vantage: string; breaches: unknown }) => [v.vantage, v.breaches]),
      [['local', [{ rule: 'allow.countries', value: 'US' }]]],
    );
    const incident = await api(`/api/v1/incidents/${policies[0].violations[0].incidentId}`);
    assert.equal(incident.kind, 'policy_violation');
    assert.equal(incident.state, 'open');
    assert.match(incident.timeline[0].message, /seen from local: allow\.countries: US is not allowed .*127\.0\.0\.3; AS64501 Example Net B; US/);
  });

  it('records the move back, and the policy complied with again', async () => {
    pointAt('127.0.0.2');
    assert.equal(await checked(10, '127.0.0.3'), true);
    const kinds = await changeKinds();
    for (const kind of ['addresses', 'certificate', 'certificate_issuer', 'country', 'network']) {
      assert.equal(kinds.filter((k) => k === kind).length, 2, `${kind}: once there, once back`);
    }
    assert.equal(kinds.length, 10);
    assert.equal(await ledgerRows(), 3);
    assert.deepEqual((await api('/api/v1/policies')).policies[0].violations, []);
    const { incidents } = await api('/api/v1/incidents?limit=10');
    assert.equal(incidents.length, 1, 'one violation, one incident');
    assert.equal(incidents[0].kind, 'policy_violation');
    assert.equal(incidents[0].state, 'resolved');
    assert.deepEqual(incidents[0].timeline.map((e: { kind: string }) => e.kind), ['policy_violated', 'policy_complied']);
    const issuers = (await api('/api/v1/provenance/changes?limit=1000')).changes.filter((c: { kind: string }) => c.kind === 'certificate_issuer');
    assert.match(issuers[0].previous[0], /Candor Test CA B/);
    assert.match(issuers[0].current[0], /Candor Test CA A/);
  });

  it('shows it on the pages and in the feed', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/provenance', headers: { accept: 'text/html' } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Where it is served from/);
    assert.match(page.body, /AS64500/);
    assert.match(page.body, /New certificate issuer/);
    const monitor = await server.app.inject({ method: 'GET', url: '/monitors/app', headers: { accept: 'text/html' } });
    assert.match(monitor.body, /Where it is served from/);
    assert.match(monitor.body, /Example Net A/);
    const feed = await server.app.inject({ method: 'GET', url: '/provenance.atom' });
    assert.equal(feed.statusCode, 200);
    assert.match(feed.headers['content-type'] as string, /application\/atom\+xml/);
    assert.equal((feed.body.match(/<entry>/g) ?? []).length, 10);
  });

  it('has pages without axe violations in light and dark, on a phone too', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing` }, async () => {
    const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const incidentId = (await api('/api/v1/incidents?limit=1')).incidents[0].id as string;
    mkdirSync(SCREENSHOTS, { recursive: true });
    const browser = await launchBrowser();
    try {
      for (const colorScheme of ['light', 'dark'] as const) {
        const page = await browser.newPage({ colorScheme });
        for (const path of ['/provenance', '/monitors/app', `/incidents/${incidentId}`]) {
          const response = await page.goto(`${url}${path}`);
          assert.equal(response!.status(), 200, path);
          const violations = await axeViolations(page);
          assert.deepEqual(violations, [], `${path} (${colorScheme}):\n${describeViolations(violations)}`);
        }
        await page.goto(`${url}/provenance`);
        await page.screenshot({ path: join(SCREENSHOTS, `provenance-${colorScheme}.png`), fullPage: true });
        await page.goto(`${url}/monitors/app#served-from`);
        await page.screenshot({ path: join(SCREENSHOTS, `provenance-monitor-${colorScheme}.png`), fullPage: true });
        await page.close();
      }
      const phone = await browser.newPage({ width: 390, height: 844 });
      await phone.goto(`${url}/provenance`);
      const violations = await axeViolations(phone);
      assert.deepEqual(violations, [], describeViolations(violations));
      await phone.screenshot({ path: join(SCREENSHOTS, 'provenance-phone.png'), fullPage: true });
      await phone.close();
    } finally {
      await browser.close();
    }
  });
});
