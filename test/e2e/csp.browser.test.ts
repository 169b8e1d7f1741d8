// The security headers in real Chromium with the Content-Security-Policy enforced: every kind of page
// (home, history, monitor, incident, an error page) loads its stylesheet and live-update script and
// triggers no CSP violation, so nothing on them relies on inline script or style.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, getJson, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { CHROMIUM, launchBrowser, type Browser } from '../support/browser.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

describe('Content-Security-Policy in Chromium', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing`, timeout: 180_000 }, () => {
  let target: RunningHttpServer;
  let dir: string;
  let candor: ServingCandor;
  let browser: Browser;
  let incidentId: string;

  before(async () => {
    target = await startHttpServer((request, response) => {
      response.writeHead(request.url === '/down' ? 503 : 200, { 'content-type': 'text/plain' });
      response.end('ok');
    });
    dir = mkdtempSync(join(tmpdir(), 'candor-csp-'));
    const config = join(dir, 'candor.yaml');
    writeFileSync(
      config,
      `title: CSP
monitors:
  - { id: web, name: Web, type: http, url: "${target.url}/", interval: 5s, timeout: 2s }
  - { id: api, name: API, type: http, url: "${target.url}/down", interval: 5s, timeout: 2s, failureThreshold: 1 }
`,
    );
    candor = await serveCandor(['--config', config, '--data', join(dir, 'data'), '--log-level', 'warn']);
    browser = await launchBrowser({ enforceCsp: true });
    incidentId = await eventually('an incident for the failing monitor', async () => {
      const { body } = await getJson<{ incidents: { id: string }[] }>(`${candor.url}/api/v1/incidents`);
      return body.incidents[0]?.id;
    });
  });

  after(async () => {
    await browser?.close();
    await candor?.stop();
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const path of ['/?refresh=2', '/history', '/monitors/web', '/incidents/{incident}', '/no/such/page']) {
    it(`${path}: no violation, stylesheet applied, script running`, async () => {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          (globalThis as unknown as { violations?: string[] }).violations ??= [];
          (globalThis as unknown as { violations: string[] }).violations.push(`${event.violatedDirective}: ${event.blockedURI}`);
        });
      });
      const live = path.startsWith('/?') ? page.waitForResponse((response) => response.url().includes('/live.json'), { timeout: 20_000 }) : undefined;
      const response = await page.goto(`${candor.url}${path.replace('{incident}', incidentId)}`);
      assert.ok(response);
      const csp = response.headers()['content-security-policy'] ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(response.headers()['x-content-type-options'], 'nosniff');
      assert.equal(response.headers()['referrer-policy'], 'strict-origin-when-cross-origin');
      const rules = await page.evaluate(() => [...document.styleSheets].reduce((sum, sheet) => sum + sheet.cssRules.length, 0));
      assert.ok(rules > 10, `the stylesheet applies (${rules} rules)`);
      if (live) assert.equal((await live).status(), 200, 'the live script polls live.json');
      const inPage = await page.evaluate(() => (globalThis as unknown as { violations?: string[] }).violations ?? []);
      assert.deepEqual([...violations, ...inPage], []);
      await page.close();
    });
  }
});
