// End to end: a real `candor serve` whose monitor goes down; the webhook receiver refuses the first
// attempt; the process is killed with -9 before the retry; after a restart the message arrives once,
// with the same idempotency key. Also `candor notify test`, and secrets kept out of logs and the API.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, runCandor, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { adminToken } from '../support/admin-token.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers.js';

const URL_TOKEN = 'url-token-5ecret';
const SIGNING_SECRET = 'signing-5ecret';

interface NotificationJson {
  id: string;
  channel: string;
  kind: string;
  state: string;
  attempts: number;
  lastError: string | null;
  lastStatus: number | null;
}

describe('alerting end to end (real processes, loopback receivers)', { timeout: 150_000 }, () => {
  let target: RunningHttpServer;
  let receiver: HttpReceiver;
  let dir: string;
  let configFile: string;
  let candor: ServingCandor | undefined;
  const logs: string[] = [];

  before(async () => {
    target = await startHttpServer((_request, response) => response.writeHead(500).end('broken'));
    receiver = await startHttpReceiver({ status: 500, body: 'not now' });
    dir = mkdtempSync(join(tmpdir(), 'candor-alerting-'));
    configFile = join(dir, 'candor.yaml');
    writeFileSync(
      configFile,
      [
        'title: Alerting E2E',
        'monitors:',
        '  - id: shop',
        '    name: Shop',
        '    type: http',
        `    url: ${target.url}/health`,
        '    interval: 5s',
        '    timeout: 2s',
        '    failureThreshold: 1',
        '    notify: [hook]',
        'channels:',
        `  - { id: hook, type: webhook, url: "${receiver.url}/in?token=${URL_TOKEN}", secret: "${SIGNING_SECRET}" }`,
        '  - { id: unused, url: "discord://1/discord-5ecret-token" }',
        'alerting: { groupWindow: 0s, retryMinDelay: 4s, retryMaxDelay: 8s, maxAttempts: 5 }',
        '',
      ].join('\n'),
    );
    // The outbox is an operator's view: reading it takes a token.
    authorization = (await adminToken(dir)).authorization;
  });

  after(async () => {
    await candor?.stop('SIGKILL');
    await target.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let authorization = '';
  const readApi = (url: string) => fetch(url, { headers: { authorization } });
  const notifications = async (base: string) => ((await (await readApi(`${base}/api/v1/notifications?channel=hook`)).json()) as { notifications: NotificationJson[] }).notifications;

  it('a message refused once, then the process killed with -9, arrives once after restart with the same key', async () => {
    candor = await serveCandor(['--config', configFile, '--data', dir]);
    const first = candor;
    // The first attempt is refused with a 500 and recorded (attempts 1, still pending).
    const failed = await eventually('a failed first attempt recorded', async () => {
      const [notification] = await notifications(first.url);
      return notification && notification.attempts === 1 && notification.state === 'pending' ? notification : undefined;
    });
    assert.equal(failed.kind, 'went_down');
    assert.equal(failed.lastStatus, 500);
    assert.equal(receiver.requests.length, 1);
    const key = receiver.requests[0]!.headers['idempotency-key'];
    assert.equal(key, failed.id);
    logs.push(first.output());
    await first.stop('SIGKILL');

    // The receiver accepts from now on; the restarted hub retries from its outbox.
    receiver.fallback = { status: 200, body: 'accepted' };
    candor = await serveCandor(['--config', configFile, '--data', dir]);
    const second = candor;
    const delivered = await eventually('the notification delivered after restart', async () => {
      const [notification] = await notifications(second.url);
      return notification?.state === 'delivered' ? notification : undefined;
    });
    assert.equal(delivered.id, failed.id);
    assert.equal(delivered.attempts, 2);
    // Wait past the longest retry delay: nothing more is sent.
    await new Promise((resolve) => setTimeout(resolve, 9000));
    const accepted = receiver.requests.slice(1);
    assert.equal(accepted.length, 1, 'accepted exactly once');
    assert.equal(accepted[0]!.headers['idempotency-key'], key);
    // The signature checks out the way docs/alerting.md says.
    const timestamp = accepted[0]!.headers['x-candor-timestamp'] as string;
    const expected = `sha256=${createHmac('sha256', SIGNING_SECRET).update(`${timestamp}.${accepted[0]!.body}`).digest('hex')}`;
    assert.equal(accepted[0]!.headers['x-candor-signature'], expected);
    assert.equal((await notifications(second.url)).length, 1, 'the same notification, not a new one');
    logs.push(second.output());
  });

  it('keeps channel secrets out of logs and the API', async () => {
    const everything = await readApi(`${candor!.url}/api/v1/notifications`).then((response) => {
      assert.equal(response.status, 200);
      return response.text();
    });
    const openapi = await fetch(`${candor!.url}/openapi.json`).then((response) => response.text());
    for (const secret of [URL_TOKEN, SIGNING_SECRET, 'discord-5ecret-token']) {
      for (const [where, text] of [['API', everything], ['OpenAPI', openapi], ['logs', [...logs, candor!.output()].join('\n')]] as const) {
        assert.ok(!text.includes(secret), `${where} shows ${secret}`);
      }
    }
  });

  it('candor notify test sends a test message and prints the answer', async () => {
    receiver.fallback = { status: 200, body: 'thanks' };
    const before = receiver.requests.length;
    const run = await runCandor(['notify', 'test', 'hook', '--config', configFile]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^hook \(webhook\): accepted, HTTP 200; idempotency key [0-9A-Z]{26}\nanswer: thanks\n$/);
    const sent = JSON.parse(receiver.requests[before]!.body) as { test: boolean; title: string };
    assert.equal(sent.test, true);
    assert.equal(sent.title, 'Test: Shop is down');

    receiver.script.push({ status: 401, body: `bad token ${URL_TOKEN}` });
    const refused = await runCandor(['notify', 'test', 'hook', '--config', configFile]);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'hook (webhook): not delivered: HTTP 401: bad token [redacted] (the receiver refused it: check the channel settings)\n');

    const unknown = await runCandor(['notify', 'test', 'nope', '--config', configFile]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, `no channel "nope": the channels of ${configFile} are: hook, unused\n`);
  });
});
