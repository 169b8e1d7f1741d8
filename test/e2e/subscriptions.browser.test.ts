// Public subscriptions end to end: a real `candor serve`, a loopback SMTP server and real Chromium.
// A visitor subscribes from the status page, confirms through the emailed link, gets the outage email
// with List-Unsubscribe headers, and unsubscribes in one click. Also the same without a browser
// (plain form posts), RFC 8058 one-click from a mail client, and the rate limit per address.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CHROMIUM, launchBrowser, type Browser } from '../support/browser.js';
import { eventually, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { closedPort, startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type ReceivedMail, type SmtpReceiver } from '../support/receivers.js';

/** The message as the reader sees it: quoted-printable soft breaks and escapes undone, headers unfolded. */
function readable(mail: ReceivedMail): string {
  return mail.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\r?\n[ \t]+/g, ' ');
}
const linkIn = (mail: ReceivedMail, path: string): string => {
  const found = new RegExp(`http://127\\.0\\.0\\.1:\\d+${path}\\?token=[A-Za-z0-9_.-]+`).exec(readable(mail));
  assert.ok(found, `no ${path} link in:\n${readable(mail)}`);
  return found[0];
};
const form = (fields: Record<string, string | string[]>): URLSearchParams => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(name, item);
  return body;
};

describe('public subscriptions (real process, SMTP on loopback, Chromium)', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing`, timeout: 180_000 }, () => {
  let target: RunningHttpServer;
  let status = 200;
  let smtp: SmtpReceiver;
  let hook: HttpReceiver;
  let dir: string;
  let candor: ServingCandor;
  let browser: Browser;
  let base: string;
  const mailTo = (address: string) => smtp.messages.filter((mail) => mail.to.includes(address));
  const subscribers = (): number => {
    const db = new Database(join(dir, 'candor.db'), { readonly: true });
    try {
      return (db.prepare('select count(*) as n from subscribers').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  before(async () => {
    target = await startHttpServer((_request, response) => response.writeHead(status).end(status === 200 ? 'ok' : 'broken'));
    smtp = await startSmtpReceiver();
    hook = await startHttpReceiver();
    dir = mkdtempSync(join(tmpdir(), 'candor-subscribe-'));
    const port = await closedPort();
    base = `http://127.0.0.1:${port}`;
    const config = join(dir, 'candor.yaml');
    writeFileSync(
      config,
      `title: Acme
server: { publicUrl: "${base}" }
monitors:
  - { id: shop, name: Shop, type: http, url: "${target.url}/", interval: 5s, timeout: 2s, failureThreshold: 1, successThreshold: 1 }
  - { id: api, name: API, type: tcp, host: 127.0.0.1, port: ${port}, interval: 60s, paused: true }
channels:
  - { id: mail, type: email, smtp: "smtp://127.0.0.1:${smtp.port}", from: status@acme.test, to: [ops@acme.test] }
subscriptions: { email: mail, linkTtl: 1h, webhooks: true, allowPrivateWebhooks: true }
alerting: { groupWindow: 0s }
`,
    );
    candor = await serveCandor(['--config', config, '--data', dir, '--port', String(port)]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await candor?.stop();
    await smtp.close();
    await hook.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('subscribe from the status page, confirm by the emailed link, get the outage email, unsubscribe in one click', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Subscribe to updates' }).click();
    await page.getByLabel('Email address').fill('visitor@example.org');
    await page.getByLabel('Shop').check();
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    assert.equal(subscribers(), 0, 'nothing is stored before the link is followed');

    const confirmation = await eventually('the confirmation email', async () => mailTo('visitor@example.org')[0]);
    assert.match(readable(confirmation), /Subject: \[Acme\] Confirm your subscription/);
    await page.goto(linkIn(confirmation, '/subscribe/confirm'));
    await page.getByRole('button', { name: 'Confirm subscription' }).click();
    await page.getByRole('heading', { name: 'Subscribed' }).waitFor();
    assert.equal(subscribers(), 1);
    assert.ok(!(await page.content()).includes('visitor@example.org'), 'the address is never shown');

    status = 500;
    const outage = await eventually('the outage email to the subscriber', async () => mailTo('visitor@example.org').find((mail) => /Shop is down/.test(readable(mail))), 60_000);
    const text = readable(outage);
    const unsubscribe = linkIn(outage, '/unsubscribe');
    assert.ok(text.includes(`List-Unsubscribe: <${unsubscribe}>`), text);
    assert.match(text, /List-Unsubscribe-Post: List-Unsubscribe=One-Click/);

    await page.goto(unsubscribe);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await page.getByRole('heading', { name: 'Unsubscribed' }).waitFor();
    assert.equal(subscribers(), 0, 'the address is deleted');
    await page.close();
  });

  it('works without a browser: plain form posts, and one-click unsubscribe from a mail client (RFC 8058)', async () => {
    const subscribe = await fetch(`${base}/subscribe`, { method: 'POST', body: form({ email: 'plain@example.org', components: ['Shop', 'API'], page: 'main' }) });
    assert.equal(subscribe.status, 200);
    assert.match(subscribe.headers.get('content-security-policy') ?? '', /form-action 'self'/);
    const confirmation = await eventually('the confirmation email', async () => mailTo('plain@example.org')[0]);
    const token = new URL(linkIn(confirmation, '/subscribe/confirm')).searchParams.get('token')!;
    const confirmed = await fetch(`${base}/subscribe/confirm`, { method: 'POST', body: form({ token }) });
    assert.equal(confirmed.status, 200);
    const unsubscribePath = /href="(\/unsubscribe\?token=[^"]+)"/.exec(await confirmed.text())?.[1];
    assert.ok(unsubscribePath);
    assert.equal(subscribers(), 1);
    // A GET never unsubscribes (mail scanners follow links); the one-click POST does.
    assert.equal((await fetch(`${base}${unsubscribePath}`)).status, 200);
    assert.equal(subscribers(), 1);
    const oneClick = await fetch(`${base}${unsubscribePath}`, { method: 'POST', body: form({ 'List-Unsubscribe': 'One-Click' }) });
    assert.equal(oneClick.status, 200);
    assert.equal(subscribers(), 0);
  });

  it('refuses bad input and forged links with a page that says why, and limits confirmation emails per address', async () => {
    const bad = await fetch(`${base}/subscribe`, { method: 'POST', body: form({ email: 'not an address' }) });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Please enter an email address/);
    const unknown = await fetch(`${base}/subscribe`, { method: 'POST', body: form({ email: 'a@example.org', components: 'Nope' }) });
    assert.equal(unknown.status, 400);
    assert.match(await unknown.text(), /Unknown choice: Nope/);
    const forged = await fetch(`${base}/subscribe/confirm`, { method: 'POST', body: form({ token: 'eyJ9.AAAA' }) });
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /This link is not valid/);

    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) statuses.push((await fetch(`${base}/subscribe`, { method: 'POST', body: form({ email: 'often@example.org' }) })).status);
    assert.deepEqual(statuses, [200, 200, 200, 429]);
  });

  it('subscribes a webhook: confirmed through the link it is sent, then told of the recovery with its unsubscribe link', async () => {
    const subscribe = await fetch(`${base}/subscribe`, { method: 'POST', body: form({ webhook: `${hook.url}/candor`, components: 'Shop' }) });
    const page = await subscribe.text();
    assert.equal(subscribe.status, 200, page);
    assert.match(page, /Check your webhook/);
    const request = await eventually('the confirmation request', async () => hook.requests[0]);
    const confirmation = JSON.parse(request.body) as { kind: string; confirmUrl: string };
    assert.equal(confirmation.kind, 'subscription_confirmation');
    const token = new URL(confirmation.confirmUrl).searchParams.get('token')!;
    const confirmed = await fetch(`${base}/subscribe/confirm`, { method: 'POST', body: form({ token }) });
    assert.equal(confirmed.status, 200, `${confirmation.confirmUrl}\n${await confirmed.text()}`);
    assert.equal(subscribers(), 1);
    status = 200;
    const recovered = await eventually('the recovery sent to the webhook', async () => hook.requests.map((r) => JSON.parse(r.body) as { kind: string; unsubscribeUrl?: string }).find((b) => b.kind === 'recovered'), 60_000);
    assert.match(recovered.unsubscribeUrl ?? '', /\/unsubscribe\?token=/);
    // Some clients post nothing at all: the token in the URL is enough.
    assert.equal((await fetch(recovered.unsubscribeUrl!, { method: 'POST' })).status, 200);
    assert.equal(subscribers(), 0);
  });
});
