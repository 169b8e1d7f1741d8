// One test per channel type: the message built for a fixed notice, sent by the real sender to a
// loopback receiver, must arrive exactly as the service documents it.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ChannelSpec, Notice } from '../../src/domain/alerting.js';
import { buildMessage } from '../../src/notify/channels/index.js';
import type { MessageContext } from '../../src/notify/message.js';
import { createSender } from '../../src/notify/send.js';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver } from '../support/receivers.js';

const AT = Date.UTC(2026, 0, 1);
const NOTICE: Notice = {
  kind: 'went_down',
  at: AT,
  monitors: [{ id: 'api', name: 'API', component: 'Core', errorKind: 'connect_refused', errorMessage: 'connection refused' }],
};
const RECOVERED: Notice = { kind: 'recovered', at: AT + 600_000, monitors: [{ id: 'api', name: 'API', component: 'Core', downSince: AT }] };
const CONTEXT: MessageContext = { idempotencyKey: '01JTESTKEY0000000000000000', now: AT + 5000, siteUrl: 'https://status.example.org', siteTitle: 'Acme' };
const TITLE = 'API is down';
const LINES = ['- API (Core) — connect_refused: connection refused', 'At 2026-01-01T00:00:00.000Z'];
const TEXT = LINES.join('\n');

const channel = (type: ChannelSpec['type'], settings: Record<string, unknown>): ChannelSpec => ({ id: `${type}-1`, type, settings, secrets: [] }) as unknown as ChannelSpec;

let receiver: HttpReceiver;
const sender = createSender(() => CONTEXT.now);
before(async () => {
  receiver = await startHttpReceiver();
});
after(async () => {
  sender.close();
  await receiver.close();
});

/** Sends `notice` through `spec` and returns the one request the receiver got. */
async function deliver(spec: ChannelSpec, notice: Notice = NOTICE) {
  receiver.requests.length = 0;
  const outcome = await sender.send(spec, buildMessage(spec, notice, CONTEXT), 5000);
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  assert.equal(receiver.requests.length, 1);
  const request = receiver.requests[0]!;
  assert.equal(request.headers['idempotency-key'], CONTEXT.idempotencyKey);
  return { ...request, json: () => JSON.parse(request.body) as unknown };
}

describe('channel payloads', () => {
  it('webhook: the notice as JSON, signed over timestamp and body', async () => {
    const request = await deliver(channel('webhook', { url: `${receiver.url}/hook?x=1`, secret: 's3cret-key', headers: { 'x-team': 'ops' } }));
    assert.equal(request.method, 'POST');
    assert.equal(request.url, '/hook?x=1');
    assert.equal(request.headers['x-team'], 'ops');
    assert.deepEqual(request.json(), {
      id: CONTEXT.idempotencyKey,
      kind: 'went_down',
      at: '2026-01-01T00:00:00.000Z',
      title: TITLE,
      text: TEXT,
      severity: 'critical',
      reminder: false,
      test: false,
      monitors: NOTICE.monitors,
      url: 'https://status.example.org',
    });
    const timestamp = request.headers['x-candor-timestamp'] as string;
    assert.equal(timestamp, String((AT + 5000) / 1000));
    // What docs/alerting.md tells receivers to do.
    const expected = `sha256=${createHmac('sha256', 's3cret-key').update(`${timestamp}.${request.body}`).digest('hex')}`;
    assert.equal(request.headers['x-candor-signature'], expected);
  });

  it('slack: incoming webhook text and blocks', async () => {
    const request = await deliver(channel('slack', { webhookUrl: `${receiver.url}/services/T0/B0/XYZ` }));
    assert.equal(request.url, '/services/T0/B0/XYZ');
    assert.deepEqual(request.json(), {
      text: `${TITLE}\n${TEXT}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: TITLE } },
        { type: 'section', text: { type: 'plain_text', text: TEXT } },
      ],
    });
  });

  it('discord: execute webhook with one embed, no mentions', async () => {
    const request = await deliver(channel('discord', { webhookUrl: `${receiver.url}/api/webhooks/42/tok` }));
    assert.equal(request.url, '/api/webhooks/42/tok?wait=true');
    assert.deepEqual(request.json(), {
      username: 'Acme',
      allowed_mentions: { parse: [] },
      embeds: [{ title: TITLE, description: TEXT, color: 0xd93025, timestamp: '2026-01-01T00:00:00.000Z' }],
    });
  });

  it('teams: a message with an Adaptive Card', async () => {
    const request = await deliver(channel('teams', { webhookUrl: `${receiver.url}/workflows/run?sig=abc` }));
    assert.equal(request.url, '/workflows/run?sig=abc');
    assert.deepEqual(request.json(), {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: TITLE, weight: 'Bolder', size: 'Medium', wrap: true, color: 'Attention' },
              ...LINES.map((line) => ({ type: 'TextBlock', text: line, wrap: true })),
            ],
          },
        },
      ],
    });
  });

  it('telegram: sendMessage to the chat, token in the path', async () => {
    const request = await deliver(channel('telegram', { baseUrl: receiver.url, botToken: '123:ABC', chatId: '-100' }));
    assert.equal(request.url, '/bot123:ABC/sendMessage');
    assert.deepEqual(request.json(), { chat_id: '-100', text: `${TITLE}\n\n${TEXT}`, link_preview_options: { is_disabled: true } });
  });

  it('mattermost: incoming webhook with an attachment', async () => {
    const request = await deliver(channel('mattermost', { webhookUrl: `${receiver.url}/hooks/key1`, channel: 'town-square' }));
    assert.equal(request.url, '/hooks/key1');
    assert.deepEqual(request.json(), { username: 'Acme', channel: 'town-square', text: `#### ${TITLE}`, attachments: [{ color: '#d93025', text: TEXT }] });
  });

  it('ntfy: JSON publish to the server root, bearer token', async () => {
    const request = await deliver(channel('ntfy', { baseUrl: receiver.url, topic: 'alerts', token: 'tk_abc' }));
    assert.equal(request.url, '/');
    assert.equal(request.headers.authorization, 'Bearer tk_abc');
    assert.deepEqual(request.json(), { topic: 'alerts', title: TITLE, message: TEXT, priority: 5, tags: ['rotating_light'], click: 'https://status.example.org' });
  });

  it('gotify: POST /message with the app token header', async () => {
    const request = await deliver(channel('gotify', { baseUrl: receiver.url, token: 'AppTok' }));
    assert.equal(request.url, '/message');
    assert.equal(request.headers['x-gotify-key'], 'AppTok');
    assert.deepEqual(request.json(), { title: TITLE, message: TEXT, priority: 8 });
  });

  it('pushover: form-encoded POST /1/messages.json', async () => {
    const request = await deliver(channel('pushover', { baseUrl: receiver.url, token: 'apptok', user: 'userkey' }));
    assert.equal(request.url, '/1/messages.json');
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.fromEntries(new URLSearchParams(request.body)), {
      token: 'apptok',
      user: 'userkey',
      title: TITLE,
      message: TEXT,
      priority: '1',
      timestamp: String(AT / 1000),
      url: 'https://status.example.org',
    });
  });

  it('matrix: PUT m.room.message with the idempotency key as transaction id', async () => {
    const request = await deliver(channel('matrix', { baseUrl: receiver.url, accessToken: 'syt_x', roomId: '!room:example.org' }));
    assert.equal(request.method, 'PUT');
    assert.equal(request.url, `/_matrix/client/v3/rooms/!room%3Aexample.org/send/m.room.message/${CONTEXT.idempotencyKey}`);
    assert.equal(request.headers.authorization, 'Bearer syt_x');
    assert.deepEqual(request.json(), {
      msgtype: 'm.text',
      body: `${TITLE}\n${TEXT}`,
      format: 'org.matrix.custom.html',
      formatted_body: `<strong>${TITLE}</strong><br>${LINES.join('<br>')}`,
    });
  });

  it('pagerduty: trigger, then resolve with the same dedup key', async () => {
    const spec = channel('pagerduty', { baseUrl: receiver.url, routingKey: 'R0UTING' });
    const trigger = await deliver(spec);
    assert.equal(trigger.url, '/v2/enqueue');
    assert.deepEqual(trigger.json(), {
      routing_key: 'R0UTING',
      event_action: 'trigger',
      dedup_key: 'candor/api',
      payload: {
        summary: TITLE,
        source: 'https://status.example.org',
        severity: 'critical',
        timestamp: '2026-01-01T00:00:00.000Z',
        component: 'Core',
        class: 'went_down',
        custom_details: { lines: LINES, monitors: NOTICE.monitors },
      },
      client: 'Acme',
      client_url: 'https://status.example.org',
    });
    const resolve = await deliver(spec, RECOVERED);
    assert.deepEqual(resolve.json(), { routing_key: 'R0UTING', event_action: 'resolve', dedup_key: 'candor/api' });
  });

  it('opsgenie: create with an alias, close by that alias', async () => {
    const spec = channel('opsgenie', { baseUrl: receiver.url, apiKey: 'gk-1' });
    const create = await deliver(spec);
    assert.equal(create.url, '/v2/alerts');
    assert.equal(create.headers.authorization, 'GenieKey gk-1');
    assert.deepEqual(create.json(), { message: TITLE, alias: 'candor/api', description: TEXT, priority: 'P1', source: 'Acme', tags: ['candor', 'went_down'], details: { api: 'API' } });
    const close = await deliver(spec, RECOVERED);
    assert.equal(close.url, '/v2/alerts/candor%2Fapi/close?identifierType=alias');
    assert.deepEqual(close.json(), { source: 'Acme', note: 'API recovered' });
  });

  it('email: plain text and HTML over SMTP with login, Message-ID from the idempotency key', async () => {
    const smtp = await startSmtpReceiver({ auth: { user: 'candor', pass: 'pw' } });
    try {
      const spec = channel('email', { smtp: { host: '127.0.0.1', port: smtp.port, security: 'starttls', username: 'candor', password: 'pw' }, from: 'status@example.org', to: ['ops@example.org'] });
      const outcome = await sender.send(spec, buildMessage(spec, NOTICE, CONTEXT), 5000);
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      assert.equal(smtp.messages.length, 1);
      const mail = smtp.messages[0]!;
      assert.equal(mail.from, 'status@example.org');
      assert.deepEqual(mail.to, ['ops@example.org']);
      assert.equal(mail.user, 'candor');
      assert.match(mail.raw, /^Subject: \[Acme\] API is down$/m);
      assert.match(mail.raw, new RegExp(`^Message-ID: <${CONTEXT.idempotencyKey}@candor.invalid>$`, 'm'));
      assert.match(mail.raw, /Content-Type: text\/plain/);
      assert.match(mail.raw, /Content-Type: text\/html/);
      assert.match(mail.raw, /<h2>API is down<\/h2>/);
    } finally {
      await smtp.close();
    }
  });
});

describe('sender outcomes', () => {
  const spec = () => channel('webhook', { url: `${receiver.url}/hook`, headers: {} });
  const send = () => sender.send(spec(), buildMessage(spec(), NOTICE, CONTEXT), 300);
  it('a 4xx other than 429 is permanent, with the status and answer', async () => {
    receiver.script.push({ status: 400, body: 'bad payload' });
    assert.deepEqual(await send(), { ok: false, status: 400, error: 'HTTP 400: bad payload', permanent: true });
  });
  it('429 carries Retry-After', async () => {
    receiver.script.push({ status: 429, headers: { 'retry-after': '120' } });
    assert.deepEqual(await send(), { ok: false, status: 429, error: 'HTTP 429', permanent: false, retryAfterMs: 120_000 });
  });
  it('a 5xx is worth retrying', async () => {
    receiver.script.push({ status: 502 });
    assert.deepEqual(await send(), { ok: false, status: 502, error: 'HTTP 502', permanent: false });
  });
  it('a slow receiver is cut off at the timeout', async () => {
    receiver.script.push({ status: 200, delayMs: 2000 });
    assert.deepEqual(await send(), { ok: false, error: 'no answer within 300 ms', permanent: false });
  });
});
