// Declared vs observed on the pages, in real Chromium: a component whose platform says "operational"
// while Candor sees it down shows both; an incident shows when the platform acknowledged it; the
// Transparency page lists the figures; every page passes axe; screenshots go to test-results/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { declaredSourceId } from '../../src/domain/declared.js';
import { axeViolations, CHROMIUM, describeViolations, launchBrowser, type Browser } from '../support/browser.js';
import { startSeededServer, type SeededServer } from '../support/seeded-server.js';
import { batch, entry, incident, result, state } from '../storage/fixtures.js';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
const M = 60_000;
const T = Date.UTC(2026, 2, 10, 10, 0, 0);
const NOW = T + 120 * M;
const SUMMARY = 'https://status.shop.example/api/v2/summary.json';
const FEED = 'https://status.cart.example/history.atom';

const config = parseConfig(
  `title: Acme
monitors:
  - { id: shop, name: Shop, type: http, url: "https://shop.example/", component: Shop, declared: { type: statuspage, url: "${SUMMARY}", component: Storefront } }
  - { id: cart, name: Cart, type: http, url: "https://cart.example/", component: Cart, declared: { type: feed, url: "${FEED}" } }
`,
  'candor.yaml',
  {},
);

describe('declared vs observed on the pages', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing`, timeout: 120_000 }, () => {
  let server: SeededServer;
  let url: string;
  let browser: Browser;

  before(async () => {
    const shopId = declaredSourceId('statuspage', SUMMARY);
    const cartId = declaredSourceId('feed', FEED);
    const fail = (monitorId: string, at: number) => result('f', { monitorId, startedAt: at, plannedAt: at, ok: false, error: { kind: 'http_status', message: 'expected status 200-399, got 503' } });
    const shopFirst = fail('shop', T + 10 * M);
    const cartFirst = fail('cart', T + 100 * M);
    server = await startSeededServer({
      config,
      now: () => NOW,
      seed: [
        batch({
          results: [result('ok', { monitorId: 'shop', startedAt: T, plannedAt: T }), result('ok', { monitorId: 'cart', startedAt: T, plannedAt: T }), shopFirst, cartFirst],
          incidentsOpened: [
            incident('inc-shop', T + 10 * M, { title: 'Shop is down', monitorIds: ['shop'], state: 'resolved', resolvedAt: T + 40 * M, timeline: [entry('s1', 'inc-shop', T + 10 * M, { kind: 'first_failure', monitorId: 'shop', message: 'First failed check', evidence: { resultId: shopFirst.id, vantage: 'local', at: T + 10 * M, errorKind: 'http_status' } })] }),
            incident('inc-cart', T + 100 * M, { title: 'Cart is down', monitorIds: ['cart'], timeline: [entry('c1', 'inc-cart', T + 100 * M, { kind: 'first_failure', monitorId: 'cart', message: 'First failed check', evidence: { resultId: cartFirst.id, vantage: 'local', at: T + 100 * M, errorKind: 'http_status' } })] }),
          ],
        }),
      ],
      states: [state('shop', { status: 'up', since: T + 40 * M }), state('cart', { status: 'down', since: T + 100 * M, openIncidentId: 'inc-cart' })],
    });
    // What the platforms said: the shop's page turned major 7 minutes after the first failure; the cart's feed stayed quiet.
    const polls: [number, string, string, string][] = [
      [0, shopId, 'Storefront', 'operational'],
      [16, shopId, 'Storefront', 'operational'],
      [17, shopId, 'Storefront', 'major_outage'],
      [45, shopId, 'Storefront', 'operational'],
      [119, shopId, 'Storefront', 'operational'],
    ];
    for (const [minute, sourceId, scope, status] of polls) {
      await server.store.transact((tx) =>
        tx.declared.record({
          sourceId,
          at: T + minute * M,
          statuses: [{ scope: '', status: status as 'operational' }, { scope, status: status as 'operational' }],
          incidents: status === 'major_outage' ? [{ externalId: 'sp-1', title: 'Storefront errors', impact: 'major', declaredAt: T + 17 * M, startedAt: T + 17 * M, components: ['Storefront'], updates: [{ at: T + 17 * M, status: 'investigating', body: 'Looking into it' }] }] : [],
        }),
      );
    }
    for (const minute of [0, 60, 119]) await server.store.transact((tx) => tx.declared.record({ sourceId: cartId, at: T + minute * M, statuses: [{ scope: '', status: 'operational' }], incidents: [] }));
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const visit = async (path: string, shot: string) => {
    const page = await browser.newPage();
    const response = await page.goto(`${url}${path}`);
    assert.equal(response?.status(), 200, path);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], describeViolations(violations));
    await page.screenshot({ path: join(SCREENSHOTS, shot), fullPage: true });
    return page;
  };

  it("shows the platform's word next to Candor's when they differ", async () => {
    const page = await visit('/', 'declared-home.png');
    const note = page.locator('.declared-note');
    assert.equal(await note.count(), 1, 'only the component where they differ');
    assert.match(await note.innerText(), /status\.cart\.example says: Operational[\s\S]*Candor sees: Down/);
    assert.equal(await page.locator('nav a', { hasText: 'Transparency' }).count(), 1);
    await page.close();
  });

  it('shows when the platform acknowledged an incident, and that it has not yet', async () => {
    let page = await visit('/incidents/inc-shop', 'declared-incident.png');
    assert.match(await page.locator('#acknowledged').locator('..').innerText(), /status\.shop\.example acknowledged it 7 min after the first failed check/);
    await page.close();
    page = await visit('/incidents/inc-cart', 'declared-incident-pending.png');
    assert.match(await page.locator('#acknowledged').locator('..').innerText(), /status\.cart\.example has not acknowledged it yet/);
    await page.close();
  });

  it('lists the figures per platform on the Transparency page', async () => {
    const page = await visit('/transparency', 'transparency.png');
    const text = await page.locator('main').innerText();
    assert.match(text, /status\.shop\.example/);
    assert.match(text, /Median time to acknowledge\s+7 min\s+7 min/);
    assert.match(text, /Said "operational" while Candor saw it down\s+7 min/);
    assert.match(text, /status\.cart\.example/);
    assert.match(text, /Still open, not acknowledged yet\s+1\s+1/);
    assert.match(text, /How these figures are made/);
    await page.close();
  });

  it('carries the acknowledgement in the feeds as an incident update', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/feed.atom' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /status\.shop\.example acknowledged it 7 min after the first failed check/);
  });
});
