// The status page never claims what it does not know, in real Chromium against a real `candor serve`:
// - before any check completes (targets accept and never answer), nothing says "Operational";
// - while the checker is offline (every check of three name servers fails before reaching them, the
//   way a machine without network fails), the same, and the page says the checker is offline;
// - then the targets answer and the open page turns green by itself.
// Axe stays at 0 violations in light and dark in every state. Everything listens on loopback only
// (the name servers on 127.0.0.2-4, distinct hosts to Candor's "is it them or us" check).
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { eventually, getJson, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { axeViolations, CHROMIUM, describeViolations, launchBrowser, type Browser } from '../support/browser.js';
import { startDnsServer, type RunningDnsServer, type TestZoneEntry } from '../support/dns-server.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
const MONITORS = ['shop', 'api', 'ns1', 'ns2', 'ns3'] as const;

describe('status page without knowledge, in Chromium', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing`, timeout: 240_000 }, () => {
  let web: RunningHttpServer;
  /** Requests held open until the targets "come back". */
  const held: ServerResponse[] = [];
  let answering = false;
  const zone: Record<string, TestZoneEntry> = { 'acme.test': { silent: true } };
  const resolvers: RunningDnsServer[] = [];
  let dir: string;
  let browser: Browser;
  let candor: ServingCandor | undefined;

  before(async () => {
    web = await startHttpServer((_request, response) => {
      if (answering) response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      else held.push(response);
    });
    for (const host of ['127.0.0.2', '127.0.0.3', '127.0.0.4']) resolvers.push(await startDnsServer(zone, { host }));
    dir = mkdtempSync(join(tmpdir(), 'candor-unknown-'));
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterEach(async () => {
    await candor?.stop('SIGTERM');
    candor = undefined;
  });

  after(async () => {
    await browser?.close();
    for (const response of held.splice(0)) response.destroy();
    await Promise.all([web?.close(), ...resolvers.map((r) => r.close())]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** HTTP checks every `httpInterval`, name server checks every `dnsInterval` with `dnsTimeout`. */
  async function serve(name: string, timing: { httpInterval: string; dnsInterval: string; dnsTimeout: string }): Promise<ServingCandor> {
    const config = join(dir, `${name}.yaml`);
    const ns = resolvers.map(
      (r, i) =>
        `  - { id: ns${i + 1}, name: Name server ${i + 1}, type: dns, query: acme.test, resolver: "${r.host}:${r.port}", component: DNS, interval: ${timing.dnsInterval}, timeout: ${timing.dnsTimeout}, successThreshold: 1 }`,
    );
    writeFileSync(
      config,
      `title: Acme
statusPages:
  - slug: acme
    title: Acme status
    timezone: Europe/Berlin
monitors:
  - { id: shop, name: Shop, type: http, url: "${web.url}/", component: Web, interval: ${timing.httpInterval}, timeout: ${timing.httpInterval}, successThreshold: 1 }
  - { id: api, name: Public API, type: http, url: "${web.url}/api", component: Web, interval: ${timing.httpInterval}, timeout: ${timing.httpInterval}, successThreshold: 1 }
${ns.join('\n')}
`,
    );
    return serveCandor(['--config', config, '--data', join(dir, name), '--log-level', 'warn']);
  }

  async function expectAccessible(page: Page, what: string): Promise<void> {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${what}:\n${describeViolations(violations)}`);
  }

  /** Nothing claims "Operational": the page in light and dark (axe clean), every badge, /api/v2. */
  async function expectNoClaim(url: string, state: string, screenshot?: string): Promise<void> {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme, width: 900, height: 720 });
      await page.goto(`${url}/`);
      const text = await page.evaluate(() => document.body.innerText);
      assert.doesNotMatch(text, /Operational/, `${state}, ${colorScheme}: the page claims nothing`);
      await expectAccessible(page, `/ (${state}, ${colorScheme})`);
      if (screenshot && colorScheme === 'light') await page.screenshot({ path: join(SCREENSHOTS, screenshot) });
      await page.close();
    }
    for (const id of MONITORS) {
      const badge = await (await fetch(`${url}/badge/${id}/status.svg`)).text();
      assert.doesNotMatch(badge, /Operational|>up</, `${state}: badge of ${id}`);
      assert.match(badge, /unknown/, `${state}: badge of ${id}`);
    }
    const { body } = await getJson<{ status: { description: string }; components: unknown[] }>(`${url}/api/v2/summary.json`);
    assert.notEqual(body.status.description, 'All Systems Operational', state);
    assert.deepEqual(body.components, [], `${state}: no component described`);
  }

  it('before any check completes, nothing claims to be operational', async () => {
    // A minute-long interval and timeout: for this test's length no check can complete.
    candor = await serve('waiting', { httpInterval: '60s', dnsInterval: '60s', dnsTimeout: '60s' });
    const { body: monitors } = await getJson<{ monitors: { state: string; lastResult: unknown }[] }>(`${candor.url}/api/v1/monitors`);
    assert.ok(monitors.monitors.every((m) => m.state === 'pending' && m.lastResult === null), 'no check has completed');
    const page = await browser.newPage();
    await page.goto(`${candor.url}/`);
    assert.equal((await page.textContent('#overall'))?.trim(), 'No data yet');
    await page.close();
    await expectNoClaim(candor.url, 'waiting', 'no-data.png');
  });

  it('while the checker is offline, the same; then targets answer and the page turns green by itself', async () => {
    // Name servers that never answer fail checks every 5 s before reaching anything: the vantage is impaired.
    // The HTTP checks hang (and never complete) until the targets answer.
    const url = (candor = await serve('offline', { httpInterval: '30s', dnsInterval: '5s', dnsTimeout: '1s' })).url;
    await eventually(
      'the hub sees its network as down',
      async () => ((await getJson<{ vantage: string }>(`${url}/healthz`)).body.vantage === 'impaired' ? true : undefined),
      30_000,
    );
    await expectNoClaim(url, 'checker offline', 'offline.png');

    const page = await browser.newPage({ width: 900, height: 720 });
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    await page.goto(`${url}/?refresh=2`);
    assert.equal((await page.textContent('#overall'))?.trim(), 'No current data: this checker is offline');
    assert.equal((await page.textContent('#vantage'))?.trim(), 'This checker is offline');

    answering = true;
    zone['acme.test'] = { records: [{ type: 'A', ttl: 60, data: '192.0.2.10' }] };
    for (const response of held.splice(0)) response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    await page.waitForFunction(() => document.querySelector('#overall')?.textContent?.trim() === 'All Systems Operational', undefined, { timeout: 90_000 });
    assert.equal(navigations, 1, 'the page updated itself, it was not reloaded');
    assert.equal(await page.$('#vantage'), null, 'the offline notice is gone');
    assert.match((await page.textContent('#live-region'))!, /Status updated/);
    await expectAccessible(page, '/ (recovered, light)');
    await page.screenshot({ path: join(SCREENSHOTS, 'operational.png') });
    await page.close();
    const dark = await browser.newPage({ colorScheme: 'dark' });
    await dark.goto(`${url}/`);
    await expectAccessible(dark, '/ (recovered, dark)');
    await dark.close();
  });

  it('bar details are reachable by keyboard and by tap', async () => {
    candor = await serve('bars', { httpInterval: '60s', dnsInterval: '60s', dnsTimeout: '60s' });
    const page = await browser.newPage({ width: 900, height: 720 });
    await page.goto(`${candor.url}/`);
    const strip = page.locator('.bars[role="img"]').first();
    await strip.focus();
    const today = await page.locator('.bar-day').first().textContent();
    assert.match(today ?? '', /^\d{1,2} \w{3} \d{4}: no data$/, 'focus shows today');
    await page.keyboard.press('Home');
    const first = await page.locator('.bar-day').first().textContent();
    assert.notEqual(first, today, 'Home moves to the first day');
    const box = (await strip.boundingBox())!;
    await page.mouse.click(box.x + box.width - 2, box.y + box.height / 2);
    assert.equal(await page.locator('.bar-day').first().textContent(), today, 'a tap near the right end shows today');
    await expectAccessible(page, '/ (bar detail shown)');
    await page.close();
  });
});
