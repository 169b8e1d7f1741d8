// A partial outage on the status page, in real Chromium: a hub started in-process with three agents in
// three regions; one region failing shows "failing from" that region on the home page, and the
// monitor's page puts each place's latest check side by side. Both pass axe; screenshots are written
// under test-results/screenshots/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';
import { axeViolations, CHROMIUM, describeViolations, launchBrowser, type Browser } from '../support/browser.js';
import { addAgents, pushCheck, registerKeys, type TestAgent } from '../support/signed-agents.js';

const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');
const CONFIG = `
title: Acme
monitors:
  - { id: shop, name: Shop, type: tcp, host: 127.0.0.1, port: 9, interval: 1h, failureThreshold: 1, successThreshold: 1, vantages: [eu-*, us-*, ap-*] }
  - { id: api, name: API, type: tcp, host: 127.0.0.1, port: 9, interval: 1h, failureThreshold: 1, successThreshold: 1, vantages: [eu-*, us-*, ap-*] }
`;

describe('a partial outage on the status page', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing`, timeout: 120_000 }, () => {
  let dir: string;
  let app: RunningApp;
  let agents: Map<string, TestAgent>;
  let browser: Browser;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-consensus-page-'));
    agents = await addAgents(dir, { ams: 'eu-west', nyc: 'us-east', sin: 'ap-southeast' });
    app = await startApp({ config: parseConfig(CONFIG, 'candor.yaml', {}), log: pino({ level: 'silent' }), dataDir: dir, host: '127.0.0.1', port: 0, ingest: { flushIntervalMs: 20 } });
    await registerKeys(app.url, agents.values());
    for (const monitor of ['shop', 'api']) for (const agent of agents.values()) await pushCheck(app.url, agent, monitor, true);
    await pushCheck(app.url, agents.get('ams')!, 'shop', false);
    browser = await launchBrowser();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('home: from how many places, and the region a partial outage is seen from', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/`);
    assert.equal((await page.textContent('#overall'))?.trim(), 'Partial System Outage');
    const main = (await page.textContent('main'))!;
    assert.match(main, /Shop is partly down \(eu-west\)/);
    assert.match(main, /Checked from 3 places \(ap-southeast, eu-west, us-east\) · failing from eu-west \(1 place of 3\)/);
    assert.match(main, /Partial outage/);
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await page.screenshot({ path: join(SCREENSHOTS, 'partial-home.png'), fullPage: true });
    await page.close();
  });

  it("the monitor's page: each place's latest check side by side, in light and dark", async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await browser.newPage({ colorScheme });
      await page.goto(`${app.url}/monitors/shop`);
      const rows = await page.$$eval('#places tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')));
      assert.deepEqual(
        rows.map((row) => [row[0], row[1], row[2], row[4]]),
        [
          ['ams', 'eu-west', 'Down', 'connect_refused'],
          ['nyc', 'us-east', 'Operational', 'passed'],
          ['sin', 'ap-southeast', 'Operational', 'passed'],
        ],
      );
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `${colorScheme}:\n${describeViolations(violations)}`);
      await page.screenshot({ path: join(SCREENSHOTS, `partial-monitor-${colorScheme}.png`), fullPage: true });
      await page.close();
    }
  });

  it("the incident's page: the scope change to global, with what each place saw", async () => {
    await pushCheck(app.url, agents.get('nyc')!, 'shop', false);
    const { incidents } = (await (await fetch(`${app.url}/api/v1/incidents`)).json()) as { incidents: { id: string }[] };
    const page = await browser.newPage();
    await page.goto(`${app.url}/incidents/${incidents[0]!.id}`);
    const main = (await page.textContent('main'))!;
    assert.match(main, /Shop now fails from ams \(eu-west\), nyc \(us-east\): down for everyone/);
    assert.match(main, /Scope\s*everywhere: eu-west, us-east/);
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, describeViolations(violations));
    await page.screenshot({ path: join(SCREENSHOTS, 'partial-to-global-incident.png'), fullPage: true });
    await page.close();
  });
});
