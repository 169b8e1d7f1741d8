// The agent's sending loop on fake time, against a hub stand-in that can be "away": buffered while it
// is, drained in order when it is back, logged once a minute rather than once a check.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { DiskBuffer } from '../../src/agents/disk-buffer.js';
import { HubFailure, type HubClient, type SignedPush } from '../../src/agents/hub-client.js';
import { OutageLog } from '../../src/agents/outage-log.js';
import { Pusher } from '../../src/agents/pusher.js';
import type { PushOutcome } from '../../src/agents/receive.js';
import { canonicalBatchText, generateAgentKeyPair, verifyText } from '../../src/agents/signatures.js';
import type { Observation } from '../../src/domain/observation.js';
import { FakeTime } from '../support/fake-time.js';

const root = mkdtempSync(join(tmpdir(), 'candor-pusher-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

const observation = (startedAt: number): Observation => ({
  monitorId: 'web',
  vantage: 'a1',
  plannedAt: startedAt,
  startedAt,
  ok: true,
  phases: { total: 1.5 },
  details: { type: 'tcp', bytesReceived: 0 },
});

/** Stands in for the network and the hub: stores by (monitor, startedAt), can be away or answer otherwise. */
class HubStandIn implements HubClient {
  away = false;
  readonly stored = new Map<string, number>();
  readonly batches: SignedPush[] = [];
  answer?: (batch: SignedPush) => PushOutcome[] | undefined;
  async assignment() {
    return undefined;
  }
  async registerKey() {
    return { fingerprint: 'x' };
  }
  async pushProvenance(): Promise<never> {
    throw new HubFailure('refused', 'not used by these tests');
  }
  async push(batch: SignedPush) {
    if (this.away) throw new HubFailure('unreachable', 'connect ECONNREFUSED 127.0.0.1:1');
    this.batches.push(batch);
    const custom = this.answer?.(batch);
    if (custom) return { results: custom };
    return {
      results: batch.observations.map((o): PushOutcome => {
        const key = String((o as Observation).startedAt);
        const copies = (this.stored.get(key) ?? 0) + 1;
        this.stored.set(key, copies);
        return copies === 1 ? { status: 'stored', id: key } : { status: 'duplicate', id: key };
      }),
    };
  }
}

function setUp() {
  const time = new FakeTime();
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const buffer = new DiskBuffer({ dir: join(root, `p${++dirs}`), maxBytes: 1024 * 1024 });
  const hub = new HubStandIn();
  const keys = generateAgentKeyPair();
  const outage = new OutageLog({ clock: time, log, buffered: () => buffer.size });
  const pusher = new Pusher({ agent: 'a1', keys, buffer, client: hub, clock: time, timers: time, log, outage, maxBatch: 50, intervalMs: 1_000, maxBackoffMs: 30_000, ready: () => true });
  return { time, lines, buffer, hub, keys, pusher };
}

describe('pushing to the hub', () => {
  it('sends signed batches oldest first and acknowledges them once answered', async () => {
    const { time, buffer, hub, keys, pusher } = setUp();
    buffer.append(Array.from({ length: 120 }, (_, i) => observation(i)));
    pusher.start();
    await time.advance(10);
    assert.equal(buffer.size, 0);
    assert.deepEqual(hub.batches.map((b) => b.observations.length), [50, 50, 20]);
    assert.deepEqual(hub.batches.flatMap((b) => b.observations.map((o) => (o as Observation).startedAt)), Array.from({ length: 120 }, (_, i) => i));
    for (const batch of hub.batches) assert.equal(verifyText(canonicalBatchText(batch), batch.signature, keys.publicKey), true);
    await pusher.stop();
  });

  it('while the hub is away: keeps checking into the buffer, logs once a minute, then drains everything exactly once', async () => {
    const { time, lines, buffer, hub, pusher } = setUp();
    hub.away = true;
    pusher.start();
    // One observation a second for ten minutes.
    for (let second = 0; second < 600; second++) {
      buffer.append([observation(second)]);
      await time.advance(1_000);
    }
    assert.equal(buffer.size, 600);
    const outageLines = lines.filter((line) => String(line.msg).startsWith('the hub'));
    assert.ok(outageLines.length >= 9 && outageLines.length <= 11, `${outageLines.length} lines for ten minutes`);
    hub.away = false;
    await time.advance(31_000);
    assert.equal(buffer.size, 0);
    assert.equal(hub.stored.size, 600);
    assert.ok([...hub.stored.values()].every((copies) => copies === 1), 'nothing sent twice');
    assert.ok(lines.some((line) => line.msg === 'the hub is reachable again: sending what was buffered, oldest first'));
    await pusher.stop();
  });

  it('a batch the hub could not finish (dropped at its shutdown) stays, and is sent again', async () => {
    const { time, buffer, hub, pusher } = setUp();
    buffer.append([observation(1), observation(2)]);
    let first = true;
    hub.answer = () => {
      if (!first) return undefined;
      first = false;
      return [{ status: 'stored', id: '1' }, { status: 'refused', reason: 'dropped', message: 'the hub shut down' }];
    };
    pusher.start();
    await time.advance(10);
    assert.equal(buffer.size, 2);
    hub.answer = undefined;
    await time.advance(1_000);
    assert.equal(buffer.size, 0);
    assert.equal(hub.batches.length, 2);
    await pusher.stop();
  });

  it('refusals for good are counted and not sent again', async () => {
    const { time, buffer, hub, pusher } = setUp();
    buffer.append([observation(1)]);
    hub.answer = () => [{ status: 'refused', reason: 'not_assigned', message: 'no' }];
    pusher.start();
    await time.advance(5_000);
    assert.equal(buffer.size, 0);
    assert.equal(hub.batches.length, 1);
    assert.deepEqual(pusher.totals, { sent: 0, refused: 1 });
    await pusher.stop();
  });
});
