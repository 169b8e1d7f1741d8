// The hub's checks run in their own thread: a web server loop that is busy (here: blocked outright for
// seven seconds) neither delays them nor adds to what they measure.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../src/app.js';
import { parseConfig } from '../../src/config/load.js';

/** A target in a process of its own, so that blocking this one cannot slow it down. */
async function targetProcess(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['-e', "const s = require('node:http').createServer((q, r) => r.end('ok')); s.listen(0, '127.0.0.1', () => console.log(s.address().port));"],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, port: Number(chunk.toString().trim()) };
}

describe('checks thread', { timeout: 60_000 }, () => {
  let target: { child: ChildProcess; port: number };
  let app: RunningApp;
  let dir: string;

  before(async () => {
    target = await targetProcess();
    dir = mkdtempSync(join(tmpdir(), 'candor-checks-thread-'));
    const monitors = ['a', 'b', 'c'].map((id) => `  - { id: ${id}, type: http, url: "http://127.0.0.1:${target.port}/${id}", interval: 5s, timeout: 3s }`);
    const config = parseConfig(['monitors:', ...monitors, ''].join('\n'), 'candor.yaml', {});
    app = await startApp({ config, log: pino({ level: 'silent' }), dataDir: dir, host: '127.0.0.1', port: 0, ingest: { flushIntervalMs: 200 } });
  });
  after(async () => {
    await app.close();
    target.child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its schedule and its measurements while the main thread is blocked', async () => {
    const blockedFrom = Date.now();
    while (Date.now() - blockedFrom < 7_000) {
      // Busy: nothing else runs on this thread meanwhile (no timers, no requests, no ingest).
    }
    const blockedUntil = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const results = [];
    for (const id of ['a', 'b', 'c']) {
      const response = await app.server.inject({ method: 'GET', url: `/api/v1/monitors/${id}/results` });
      results.push(...(response.json() as { results: { plannedAt: string; startedAt: string; latencyMs: number; ok: boolean }[] }).results);
    }
    const during = results.filter((r) => Date.parse(r.startedAt) >= blockedFrom && Date.parse(r.startedAt) < blockedUntil);
    assert.ok(during.length >= 3, `checks ran while the main thread was blocked: ${during.length}`);
    for (const result of during) {
      assert.ok(result.ok);
      assert.ok(Date.parse(result.startedAt) - Date.parse(result.plannedAt) < 1_000, `started on time: ${JSON.stringify(result)}`);
      assert.ok(result.latencyMs < 1_000, `measured what the target did, not the blocked loop: ${result.latencyMs} ms`);
    }
  });
});
