// The outbox and its worker on fake time, over a real SQLite store: grouping, reminders, maintenance
// silence, backoff, Retry-After, refused messages, and a slow channel that delays nobody else.
// The sender is the one I/O edge replaced here (the real one is tested in channels.test.ts and e2e).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import pino from 'pino';
import type { ChannelSpec } from '../../src/domain/alerting.js';
import type { CandorConfig } from '../../src/domain/monitor.js';
import type { MonitorEvent } from '../../src/domain/state-machine.js';
import type { CheckResult } from '../../src/domain/verdict.js';
import { createAlerting, type Alerting } from '../../src/notify/alerting.js';
import type { OutboundMessage } from '../../src/notify/message.js';
import type { Sender, SendOutcome } from '../../src/notify/send.js';
import { createIds } from '../../src/runtime/ids.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { Store } from '../../src/storage/store.js';
import { parse, yaml } from '../config/support.js';
import { FakeTime } from '../support/fake-time.js';

const directory = mkdtempSync(join(tmpdir(), 'candor-notify-'));
after(() => rmSync(directory, { recursive: true, force: true }));
const log = pino({ level: 'silent' });
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2026, 0, 1);

/** Records every message; answers from a per-channel script (default: accepted). */
class ScriptedSender implements Sender {
  readonly sent: { channel: string; message: OutboundMessage; at: number }[] = [];
  readonly scripts = new Map<string, (SendOutcome | Promise<SendOutcome>)[]>();
  constructor(private readonly time: FakeTime) {}
  async send(channel: ChannelSpec, message: OutboundMessage): Promise<SendOutcome> {
    this.sent.push({ channel: channel.id, message, at: this.time.now() });
    return (await this.scripts.get(channel.id)?.shift()) ?? { ok: true, status: 200, answer: 'ok' };
  }
  close(): void {}
  bodies(channel: string): Record<string, unknown>[] {
    return this.sent.filter((s) => s.channel === channel).map((s) => (s.message.kind === 'http' ? (JSON.parse(s.message.body) as Record<string, unknown>) : { subject: s.message.subject }));
  }
}

const CONFIG = yaml`
  monitors:
    - { id: api, name: API, type: tcp, host: localhost, port: 22, component: Core, tags: [core] }
    - { id: web, name: Web, type: tcp, host: localhost, port: 80, component: Site, tags: [core] }
    - id: db
      name: DB
      type: tcp
      host: localhost
      port: 5432
      component: Core
      maintenance: [{ start: "2026-01-01T02:00:00Z", end: "2026-01-01T04:00:00Z" }]
  channels:
    - { id: hook, type: webhook, url: "http://127.0.0.1:9/hook" }
    - { id: pd, type: pagerduty, baseUrl: "http://127.0.0.1:9", routingKey: R0UTINGKEY }
    - { id: slow, type: webhook, url: "http://127.0.0.1:9/slow" }
  routes:
    - { events: [went_down, recovered, partial, certificate_expiring], channels: [hook, pd], remindEvery: 1h }
    - { events: [partial], scopes: [eu-west], channels: [slow] }
  alerting: { groupWindow: 30s, maxAttempts: 3, retryMinDelay: 10s, retryMaxDelay: 10m, timeout: 5s }
`;

const down = (at: number, errorKind = 'connect_refused'): MonitorEvent => {
  const evidence = { resultId: 'r', vantage: 'local', at, errorKind: errorKind as never, errorMessage: 'refused' };
  return { type: 'went_down', at, firstFailure: evidence, confirmation: evidence };
};
const recovered = (at: number, downSince: number): MonitorEvent => ({ type: 'recovered', at, downSince, evidence: { resultId: 'r', vantage: 'local', at } });

describe('notification outbox and worker', () => {
  let store: Store;
  let time: FakeTime;
  let sender: ScriptedSender;
  let alerting: Alerting;
  let config: CandorConfig;
  let files = 0;

  beforeEach(async () => {
    store = await openSqliteStore(join(directory, `worker-${++files}.db`));
    await store.migrate();
    time = new FakeTime(START);
    sender = new ScriptedSender(time);
    config = parse(CONFIG);
    const monitors = new Map(config.monitors.map((m) => [m.id, m]));
    // Half of the jitter range, so delays are exact: min × 2^(n-1) × 1.5.
    alerting = createAlerting({ config, monitors, store, clock: time, timers: time, ids: createIds(time), log, sender, random: () => 0.5 })!;
    alerting.worker.start();
  });
  afterEach(async () => {
    await alerting.close();
    await store.close();
  });

  /** Commits a batch with these events (and results), as ingest does, then wakes the worker. */
  async function commit(events: { monitorId: string; event: MonitorEvent | { type: string; at: number; [key: string]: unknown } }[], results: CheckResult[] = []): Promise<void> {
    await store.transact((tx) => alerting.writer(tx, { results, events: events as never, incidents: { opened: [], appended: [], resolved: [] } }));
    alerting.worker.wake();
    await time.advance(0);
  }

  it('monitors going down within the window are one message per grouping channel; incident tools get one each', async () => {
    await commit([{ monitorId: 'api', event: down(START) }]);
    await time.advance(5 * SECOND);
    await commit([{ monitorId: 'web', event: down(START + 5 * SECOND) }]);
    assert.equal(sender.bodies('hook').length, 0, 'held for the group window');
    assert.equal(sender.bodies('pd').length, 2, 'PagerDuty tracks one alert per monitor: sent at once');
    await time.advance(30 * SECOND);
    const hook = sender.bodies('hook');
    assert.equal(hook.length, 1);
    assert.equal(hook[0]!['title'], '2 monitors are down: API, Web');
    assert.deepEqual((hook[0]!['monitors'] as { id: string }[]).map((m) => m.id), ['api', 'web']);
    assert.deepEqual(sender.bodies('pd').map((b) => b['dedup_key']), ['candor/api', 'candor/web']);
    const listed = await store.outbox.list({ limit: 10, state: 'delivered' });
    assert.equal(listed.length, 3);
  });

  it('reminds while still down, and stops once recovered', async () => {
    await commit([{ monitorId: 'api', event: down(START) }]);
    await time.advance(HOUR);
    await time.advance(HOUR);
    const titles = () => sender.bodies('hook').map((b) => b['title']);
    assert.deepEqual(titles(), ['API is down', 'Still down: API', 'Still down: API']);
    assert.match(String(sender.bodies('hook')[2]!['text']), /down for 2 h/);
    await commit([{ monitorId: 'api', event: recovered(START + 2 * HOUR + 10 * MINUTE, START) }]);
    await time.advance(3 * HOUR);
    assert.deepEqual(titles(), ['API is down', 'Still down: API', 'Still down: API', 'API recovered']);
    assert.equal((await store.outbox.list({ limit: 50, state: 'cancelled' })).length, 2, 'the pending reminder of each channel');
  });

  it('sends nothing during maintenance: events in the window, and reminders due in it', async () => {
    // db goes down at 01:30, before its window (02:00-04:00): reminders at 02:30 and 03:30 fall inside it.
    await time.advance(90 * MINUTE);
    await commit([{ monitorId: 'db', event: down(START + 90 * MINUTE) }]);
    await time.advance(31 * SECOND);
    assert.deepEqual(sender.bodies('hook').map((b) => b['title']), ['DB is down']);
    await time.advance(2 * HOUR);
    // An event inside the window causes nothing.
    await commit([{ monitorId: 'db', event: recovered(START + 3 * HOUR + 40 * MINUTE, START + 90 * MINUTE) }, { monitorId: 'db', event: down(START + 3 * HOUR + 41 * MINUTE) }]);
    await time.advance(31 * SECOND);
    assert.deepEqual(sender.bodies('hook').map((b) => b['title']), ['DB is down']);
    assert.equal((await store.outbox.list({ limit: 50, state: 'silenced', channelId: 'hook' })).length, 2);
  });

  it('retries with exponential backoff and jitter, then fails with the last error', async () => {
    sender.scripts.set('hook', [
      { ok: false, status: 502, error: 'HTTP 502', permanent: false },
      { ok: false, status: 502, error: 'HTTP 502', permanent: false },
      { ok: false, error: 'no answer within 5000 ms', permanent: false },
    ]);
    await commit([{ monitorId: 'api', event: down(START) }]);
    await time.advance(30 * SECOND);
    await time.advance(HOUR - 31 * SECOND);
    const attempts = sender.sent.filter((s) => s.channel === 'hook' && s.message.kind === 'http' && JSON.parse(s.message.body).reminder === false);
    // Due at +30 s (group window); then 10 s × 1.5, then 20 s × 1.5.
    assert.deepEqual(attempts.map((a) => (a.at - START) / SECOND), [30, 45, 75]);
    const [failed] = (await store.outbox.list({ limit: 10, state: 'failed' })).filter((n) => n.channelId === 'hook');
    assert.equal(failed?.attempts, 3);
    assert.equal(failed?.lastError, 'no answer within 5000 ms (gave up after 3 attempts)');
    assert.equal(failed?.lastStatus, 502);
    // Every attempt carried the same idempotency key.
    assert.equal(new Set(attempts.map((a) => (a.message.kind === 'http' ? a.message.headers['idempotency-key'] : ''))).size, 1);
  });

  it('honours Retry-After on 429, and does not retry another 4xx', async () => {
    sender.scripts.set('pd', [{ ok: false, status: 429, error: 'HTTP 429', permanent: false, retryAfterMs: 120_000 }]);
    sender.scripts.set('hook', [{ ok: false, status: 400, error: 'HTTP 400: bad payload', permanent: true }]);
    await commit([{ monitorId: 'api', event: down(START) }]);
    await time.advance(119 * SECOND);
    assert.equal(sender.sent.filter((s) => s.channel === 'pd').length, 1);
    await time.advance(1 * SECOND);
    assert.deepEqual(sender.sent.filter((s) => s.channel === 'pd').map((s) => (s.at - START) / SECOND), [0, 120]);
    await time.advance(10 * MINUTE);
    const hook = (await store.outbox.list({ limit: 10, channelId: 'hook' })).filter((n) => !n.monitorId);
    assert.equal(hook[0]?.state, 'failed');
    assert.equal(hook[0]?.attempts, 1);
    assert.equal(hook[0]?.lastError, 'HTTP 400: bad payload (not retried: the receiver refused it)');
  });

  it('a channel that never answers delays no other channel', async () => {
    let release: (outcome: SendOutcome) => void = () => {};
    sender.scripts.set('slow', [new Promise<SendOutcome>((resolve) => (release = resolve))]);
    // partial in eu-west goes to hook, pd and slow.
    await commit([{ monitorId: 'web', event: { type: 'partial', at: START, scope: { vantages: ['a1'], regions: ['eu-west'] }, evidence: { resultId: 'r', vantage: 'a1', at: START, errorKind: 'timeout' } } }]);
    await commit([{ monitorId: 'api', event: { type: 'partial', at: START, scope: { vantages: ['a2'], regions: ['us-east'] } } }]);
    assert.equal(sender.sent.filter((s) => s.channel === 'slow').length, 1, 'only the eu-west notice went to slow');
    assert.deepEqual(sender.bodies('pd').map((b) => (b['payload'] as { summary: string }).summary), ['Web is down for some', 'API is down for some']);
    assert.match(String(sender.bodies('hook')[0]?.['text']), /failing from eu-west, a1/);
    release({ ok: true, status: 200, answer: 'late' });
    await time.advance(0);
    assert.equal((await store.outbox.list({ limit: 10, channelId: 'slow' }))[0]?.state, 'delivered');
  });

  it('warns of certificates expiring at 30, 14, 7 and 1 days, once each', async () => {
    const tls = (daysRemaining: number, at: number): CheckResult => ({
      id: `r${at}`, monitorId: 'api', vantage: 'local', plannedAt: at, startedAt: at, ok: true, degraded: false, maintenance: false, inconclusive: false,
      latencyMs: 5, phases: { total: 5 }, details: { type: 'tls', daysRemaining, notAfter: '2026-02-01T00:00:00.000Z' },
    });
    for (const [index, days] of [45, 29, 29, 20, 13, 6, 6, 1, 0].entries()) await commit([], [tls(days, START + index * SECOND)]);
    const expiring = sender.bodies('hook').map((b) => b['title']);
    assert.deepEqual(expiring, ['Certificate of API expires in 29 days', 'Certificate of API expires in 13 days', 'Certificate of API expires in 6 days', 'Certificate of API expires in 1 day']);
  });
});
