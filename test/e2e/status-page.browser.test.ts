// The public status page in real Chromium, served by a real `candor serve` watching loopback targets:
// the page follows an outage without a reload, every page passes axe in light and dark, and the
// screenshots users will see are written under test-results/screenshots/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { eventually, getJson, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { axeViolations, CHROMIUM, describeViolations, launchBrowser, type Browser } from '../support/browser.js';
import { startHttpServer, startTcpServer, type RunningHttpServer, type RunningServer } from '../support/loopback-servers.js';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

describe('status page in Chromium', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing`, timeout: 180_000 }, () => {
  let api: RunningHttpServer;
  let website: RunningHttpServer;
  let mail: RunningServer;
  let apiStatus = 200;
  let dir: string;
  let candor: ServingCandor;
  let browser: Browser;

  before(async () => {
    api = await startHttpServer((_request, response) => {
      response.writeHead(apiStatus, { 'content-type': 'application/json' });
      response.end(apiStatus === 200 ? '{"status":"ok"}' : '{"error":"upstream <b>timeout</b>"}');
    });
    website = await startHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<h1>Welcome</h1>');
    });
    mail = await startTcpServer((socket) => socket.end('220 mail.acme.test ESMTP ready\r\n'));
    dir = mkdtempSync(join(tmpdir(), 'candor-browser-'));
    const config = join(dir, 'candor.yaml');
    writeFileSync(
      config,
      `title: Acme
statusPages:
  - slug: acme
    title: Acme status
    description: Live status of Acme's public services, as observed by an independent checker.
    links: [{ title: Acme home, url: "https://acme.example/" }]
    timezone: Europe/Berlin
monitors:
  - { id: api, name: Public API, type: http, url: "${api.url}/v1/health", component: API, interval: 5s, timeout: 2s, failureThreshold: 1, successThreshold: 1 }
  - { id: checkout, name: Checkout, type: http, url: "${website.url}/checkout", component: API, interval: 5s, timeout: 2s }
  - { id: website, name: Website, type: http, url: "${website.url}/", component: Website, interval: 5s, timeout: 2s }
  - { id: mail, name: Mail (SMTP), type: tcp, host: 127.0.0.1, port: ${mail.port}, expectBanner: "220 ", component: Email, interval: 5s, timeout: 2s }
`,
    );
    candor = await serveCandor(['--config', config, '--data', join(dir, 'data'), '--log-level', 'warn']);
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
    await eventually(
      'every monitor up',
      async () => {
        const { body } = await getJson<{ monitors: { state: string }[] }>(`${candor.url}/api/v1/monitors`);
        return body.monitors.every((m) => m.state === 'up') ? true : undefined;
      },
      30_000,
    );
  });

  after(async () => {
    await browser?.close();
    await candor?.stop('SIGTERM');
    await Promise.all([api?.close(), website?.close(), mail?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function expectAccessible(page: Page, what: string): Promise<void> {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${what}:\n${describeViolations(violations)}`);
  }

  it('follows an outage live: banner, monitor state and the new incident appear without a reload', async () => {
    const page = await browser.newPage();
    let navigations = 0;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations++;
    });
    await page.goto(`${candor.url}/?refresh=2`);
    assert.equal((await page.textContent('#overall'))?.trim(), 'All Systems Operational');
    await expectAccessible(page, '/ (light, all up)');

    apiStatus = 503;
    await page.waitForFunction(() => document.querySelector('#overall')?.textContent?.includes('Outage'), undefined, { timeout: 30_000 });
    assert.equal(navigations, 1, 'the page updated itself, it was not reloaded');
    const banner = (await page.textContent('#overall'))!.trim();
    assert.equal(banner, 'Partial System Outage');
    const main = await page.textContent('main');
    assert.match(main!, /Ongoing incidents/);
    assert.match(main!, /Public API is down/);
    assert.match((await page.textContent('#live-region'))!, /Status updated/);
    await expectAccessible(page, '/ (light, outage)');
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-light.png'), fullPage: true });
    await page.close();
  });

  it('every page has no axe violations in light and dark, and renders on a 390 px phone', async () => {
    const { body } = await getJson<{ incidents: { id: string }[] }>(`${candor.url}/api/v1/incidents`);
    const incidentId = body.incidents[0]!.id;
    const paths = ['/', '/s/acme', `/incidents/${incidentId}`, '/history', '/monitors/api', '/monitors/no-such-monitor'];
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme });
      for (const path of paths) {
        const response = await page.goto(`${candor.url}${path}`);
        assert.equal(response!.status(), path.includes('no-such') ? 404 : 200, path);
        await expectAccessible(page, `${path} (${colorScheme})`);
      }
      if (colorScheme === 'dark') {
        await page.goto(`${candor.url}/`);
        await page.screenshot({ path: join(SCREENSHOTS, 'desktop-dark.png'), fullPage: true });
        await page.goto(`${candor.url}/incidents/${incidentId}`);
        await page.screenshot({ path: join(SCREENSHOTS, 'incident-dark.png'), fullPage: true });
      }
      await page.close();
    }

    const phone = await browser.newPage({ width: 390, height: 844 });
    await phone.goto(`${candor.url}/`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling on a phone (overflow ${overflow}px)`);
    await expectAccessible(phone, '/ (phone)');
    await phone.screenshot({ path: join(SCREENSHOTS, 'phone.png'), fullPage: true });
    await phone.close();
  });

  it('is keyboard navigable: a skip link first, then visible focus on links', async () => {
    const page = await browser.newPage();
    await page.goto(`${candor.url}/`);
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => ({ text: document.activeElement?.textContent?.trim(), href: document.activeElement?.getAttribute('href') }));
    assert.match(first.text ?? '', /skip/i);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return `${style.outlineStyle} ${style.outlineWidth}`;
    });
    assert.doesNotMatch(outline, /^none/, `focused element shows focus (${outline})`);
    await page.close();
  });
});
