// Declared vs observed on fake time: a loopback server plays a platform's status page (Statuspage v2
// JSON and an Atom feed) from a script while loopback targets go down. The hub's real HTTP probe checks
// the targets; ingest and the poller run on a controlled clock, one step a minute.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { DeclaredPoller } from '../../src/declared/poller.js';
import { declaredNoticeWriter } from '../../src/notify/declared-notices.js';
import { planConfigOf } from '../../src/notify/alerting.js';
import { declaredSources } from '../../src/declared/sources.js';
import { Ingest } from '../../src/ingest/ingest.js';
import { createProbes } from '../../src/probes/registry.js';
import { transparencyReport, incidentAcknowledgements } from '../../src/read/declared.js';
import { createIds } from '../../src/runtime/ids.js';
import { toObservation } from '../../src/scheduler/check-runner.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { Store } from '../../src/storage/store.js';
import { FakeTime } from '../support/fake-time.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';
import { startStatusPageServer, type StatusPageServer } from '../support/status-page-server.js';

const M = 60_000;
const T0 = Date.UTC(2026, 0, 1);
const at = (minute: number) => T0 + minute * M;
const log = pino({ level: 'silent' });

describe('declared vs observed (loopback status page, loopback targets, fake time)', { timeout: 60_000 }, () => {
  let page: StatusPageServer;
  /** Another platform, whose feed never mentions anything. */
  let quiet: StatusPageServer;
  let target: RunningHttpServer;
  const down = new Set<string>();
  let dir: string;
  let store: Store;

  before(async () => {
    page = await startStatusPageServer({ indicator: 'none', components: [{ name: 'Shop', status: 'operational', updatedAt: T0 - 60 * M }], incidents: [], updatedAt: T0 - 60 * M });
    quiet = await startStatusPageServer({ indicator: 'none', components: [], incidents: [], updatedAt: T0 - 60 * M });
    target = await startHttpServer((request, response) => {
      const broken = down.has(request.url ?? '');
      response.writeHead(broken ? 500 : 200, { 'content-type': 'text/plain' }).end(broken ? 'broken' : 'ok');
    });
    dir = mkdtempSync(join(tmpdir(), 'candor-declared-e2e-'));
    store = await openSqliteStore(join(dir, 'candor.db'));
    await store.migrate();
  });
  after(async () => {
    await store.close();
    await target.close();
    await page.close();
    await quiet.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('measures a 7-minute acknowledgement, an unacknowledged outage with its minutes, and an unreadable page as unavailable', async () => {
    const config = parseConfig(
      [
        'monitors:',
        `  - { id: shop, type: http, url: "${target.url}/shop", interval: 1m, failureThreshold: 2, successThreshold: 1,`,
        `      declared: { type: statuspage, url: "${page.url}/api/v2/summary.json", component: Shop, interval: 1m } }`,
        `  - { id: cart, type: http, url: "${target.url}/cart", interval: 1m, failureThreshold: 2, successThreshold: 1,`,
        `      declared: { type: feed, url: "${quiet.url}/history.atom", interval: 1m } }`,
        'channels: [{ id: ops, url: "ntfy://127.0.0.1:9/alerts" }]',
        'routes: [{ events: [declared_mismatch], channels: [ops] }]',
        '',
      ].join('\n'),
      'candor.yaml',
      {},
    );
    const monitors = new Map(config.monitors.map((m) => [m.id, m]));
    const time = new FakeTime(T0);
    const ingest = new Ingest({ store, clock: time, timers: time, ids: createIds(time), log, monitors, options: { flushIntervalMs: 1000, maxFutureMs: 86_400_000 } });
    await ingest.restore();
    const sources = declaredSources(config.monitors);
    // declared_mismatch notices are written with each poll (the delivery worker is not started here).
    const onPoll = declaredNoticeWriter({ config: planConfigOf(config, monitors), ids: createIds(time), stateOf: (id) => ingest.states().get(id) });
    const poller = new DeclaredPoller({ store, clock: time, timers: time, log, sources, limits: DeclaredPoller.limits('Candor/test', { timeoutMs: 1000 }), onPoll });
    const probes = createProbes();

    /** One minute of the story: every monitor checked once, the batch written, every source polled. */
    const minute = async () => {
      for (const monitor of config.monitors) {
        const outcome = await probes.run(monitor.probe, { timeoutMs: monitor.timeoutMs });
        ingest.add(toObservation(monitor, 'local', time.now(), time.now(), outcome));
      }
      await ingest.flush();
      await poller.pollAll();
      await time.advance(M);
    };

    for (let m = 0; m < 3; m++) await minute(); // minutes 0–2: all up
    down.add('/shop');
    down.add('/cart');
    for (let m = 3; m < 10; m++) await minute(); // minute 3: first failures; minute 4: confirmed down
    // Minute 10, seven minutes after the first failing check, the platform admits it.
    page.page = {
      indicator: 'major',
      components: [{ name: 'Shop', status: 'major_outage', updatedAt: at(10) }],
      incidents: [{ id: 'inc-1', name: 'Shop unavailable', createdAt: at(10), components: ['Shop'] }],
      updatedAt: at(10),
    };
    for (let m = 10; m < 20; m++) await minute();
    down.clear();
    for (let m = 20; m < 25; m++) await minute(); // minute 20: recovered
    page.page = { indicator: 'none', components: [{ name: 'Shop', status: 'operational', updatedAt: at(25) }], incidents: [{ id: 'inc-1', name: 'Shop unavailable', createdAt: at(10), resolvedAt: at(25) }], updatedAt: at(25) };
    for (let m = 25; m < 30; m++) await minute();

    // The page stops answering sensibly: unavailable, never operational.
    page.override('/api/v2/summary.json', (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('<html>maintenance</html>'));
    quiet.override('/history.atom', () => undefined); // hangs: the poll times out
    await minute();
    const latest = await store.declared.latest();
    assert.deepEqual(latest.map((r) => [r.scope, r.status, r.reason?.split(':')[0]]).sort(), [
      ['', 'unavailable', 'malformed'],
      ['', 'unavailable', 'timeout'],
      ['Shop', 'unavailable', 'malformed'],
    ]);
    page.override('/api/v2/summary.json', undefined);
    quiet.override('/history.atom', undefined);

    const report = await transparencyReport({ store, clock: time, monitors });
    const shopPlatform = report.platforms.find((p) => p.type === 'statuspage')!;
    const cartPlatform = report.platforms.find((p) => p.type === 'feed')!;
    const [shop30] = shopPlatform.windows;
    const [cart30] = cartPlatform.windows;
    assert.equal(report.method.version, 'candor-transparency/1');
    const incidents = await store.listIncidents({ limit: 10 });
    assert.deepEqual(incidents.map((i) => [i.monitorIds[0], (i.startedAt - T0) / M, i.resolvedAt === undefined ? null : (i.resolvedAt - T0) / M]).sort(), [['cart', 3, 20], ['shop', 3, 20]], JSON.stringify(shop30));

    assert.equal(shop30!.outages, 1);
    assert.equal(shop30!.acknowledged, 1);
    assert.equal(shop30!.medianLagMs, 7 * M);
    assert.equal(shop30!.p90LagMs, 7 * M);
    assert.equal(shop30!.shareUnacknowledged, 0);
    assert.equal(shop30!.declaredOperationalWhileDownMs, 7 * M);
    const [shopOutage] = shop30!.evidence.outages;
    assert.equal(shopOutage!.startedAt, new Date(at(3)).toISOString());
    assert.equal(shopOutage!.endedAt, new Date(at(20)).toISOString());
    assert.ok(shopOutage!.firstFailureResultId, 'links the first failing result');
    const firstFailure = await store.getResult(shopOutage!.firstFailureResultId!);
    assert.equal(firstFailure?.startedAt, at(3));
    assert.equal(firstFailure?.ok, false);
    const incident = await store.getIncident(shopOutage!.incidentId);
    assert.deepEqual(incident?.monitorIds, ['shop']);

    assert.equal(cart30!.outages, 1);
    assert.equal(cart30!.unacknowledged, 1);
    assert.equal(cart30!.shareUnacknowledged, 1);
    assert.equal(cart30!.medianLagMs, null);
    assert.equal(cart30!.declaredOperationalWhileDownMs, 17 * M);
    assert.deepEqual(cart30!.evidence.disagreements.map((d) => [d.kind, d.from, d.to]), [['declared_operational_while_down', new Date(at(3)).toISOString(), new Date(at(20)).toISOString()]]);
    // The platform said "down" 10–20 while Candor saw it down too, and was operational again by 25:
    // the 5 minutes 20–25 it still said down while Candor saw it up count the other way.
    assert.equal(shop30!.declaredDownWhileUpMs, 5 * M);

    const acks = await incidentAcknowledgements({ store, clock: time, monitors }, incident!);
    assert.equal(acks[0]?.comparison.verdict, 'acknowledged');
    assert.equal(acks[0]?.comparison.lagMs, 7 * M);

    // The feed said nothing while cart was down 3–20: told once, ten minutes into the outage; shop's page
    // admitted its outage at minute 10, before ten minutes had passed, so nothing was sent about it.
    const notices = await store.outbox.list({ limit: 10 });
    assert.deepEqual(notices.map((n) => [n.notice.kind, n.notice.monitors[0]?.id, (n.createdAt - T0) / M]), [['declared_mismatch', 'cart', 13]]);
    assert.match(notices[0]!.notice.detail ?? '', /The platform says operational on its status page; Candor sees it down/);

    // Conditional requests: unchanged pages were revalidated, not refetched.
    assert.ok(page.requests.some((r) => r.conditional));
    await poller.stop();
    await ingest.stop();
  });
});
