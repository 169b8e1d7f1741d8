// The bare minimum one check costs: the same fresh-connection GET the http probe makes (node:http, a
// throw-away agent, "connection: close"), fired by one timer per monitor at the same phase offsets as
// Candor's scheduler, nothing else (no deadline, no phases, no storage). Run in its own child process
// at the same time as the Candor scenario, so CPU per check can be compared in the same conditions.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { nextPlannedAt, phaseOffsetMs } from '../src/scheduler/scheduler.js';
import { benchMonitorId } from './monitors.js';
import { ProcessSampler, type ProcessSample } from './sampler.js';
import type { ScenarioInput } from './scenario.js';

/**
 * The bare client runs the very scenario Candor runs: same monitors, rate, warm-up and window; at most
 * `concurrency` GETs in flight (a timer finding it full skips its GET), as Candor's cap.
 */
export type BareClientInput = ScenarioInput;

export interface BareClientOutcome {
  readonly input: BareClientInput;
  /** GETs started inside the measured window. */
  readonly checks: number;
  readonly errors: number;
  readonly skipped: number;
  readonly firstError?: string;
  readonly windowMs: number;
  readonly cpuMs: number;
  readonly cpuMsPerCheck: number;
  readonly cpuPercent: number;
  readonly process: ProcessSample;
}

/** One GET as the probe makes it, body read and thrown away; rejects unless it answered 200. */
function get(url: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const agent = new http.Agent({ keepAlive: false, maxSockets: 1 });
    const request = http.get(url, { agent, headers: { connection: 'close' }, timeout: timeoutMs }, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`status ${response.statusCode}`))));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.on('close', () => agent.destroy());
  });
}

/** Same sampling as the Candor scenario (its event-loop delay monitor wakes the loop 100 times a second): both sides pay it. */
const SAMPLE_EVERY_MS = 500;

export async function runBareClient(input: BareClientInput): Promise<BareClientOutcome> {
  const sampler = new ProcessSampler(SAMPLE_EVERY_MS);
  const startedAt = Date.now();
  const windowFrom = startedAt + input.warmupMs;
  const windowUntil = windowFrom + input.measureMs;
  let inFlight = 0;
  let checks = 0;
  let errors = 0;
  let skipped = 0;
  let firstError: string | undefined;
  let stopped = false;
  const timers: NodeJS.Timeout[] = [];

  const fire = (index: number, url: string, offsetMs: number, plannedAt: number): void => {
    if (stopped) return;
    arm(index, url, offsetMs, plannedAt + input.intervalMs);
    if (inFlight >= input.concurrency) {
      skipped += 1;
      return;
    }
    const now = Date.now();
    const counted = now >= windowFrom && now < windowUntil;
    if (counted) checks += 1;
    inFlight += 1;
    get(url, input.timeoutMs)
      .catch((error: unknown) => {
        if (counted) errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      })
      .finally(() => (inFlight -= 1));
  };
  const arm = (index: number, url: string, offsetMs: number, plannedAt: number): void => {
    timers[index] = setTimeout(() => fire(index, url, offsetMs, plannedAt), Math.max(0, plannedAt - Date.now()));
  };
  for (let index = 0; index < input.monitors; index++) {
    const offsetMs = phaseOffsetMs(benchMonitorId(index), input.intervalMs);
    const url = `${input.targetUrls[index % input.targetUrls.length]}/bare/${index}`;
    arm(index, url, offsetMs, nextPlannedAt(startedAt, input.intervalMs, offsetMs));
  }

  await sleep(windowFrom - Date.now());
  sampler.resetLoopDelay();
  const cpuFrom = process.cpuUsage();
  const measuredFrom = Date.now();
  await sleep(windowUntil - Date.now());
  const cpu = process.cpuUsage(cpuFrom);
  const windowMs = Date.now() - measuredFrom;
  stopped = true;
  for (const timer of timers) clearTimeout(timer);
  const processSample = sampler.stop();
  // Let the last GETs finish (bounded) so no socket is cut while the targets still count.
  for (let waited = 0; inFlight > 0 && waited < input.timeoutMs; waited += 50) await sleep(50);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    input,
    checks,
    errors,
    skipped,
    ...(firstError === undefined ? {} : { firstError }),
    windowMs,
    cpuMs,
    cpuMsPerCheck: checks === 0 ? NaN : cpuMs / checks,
    cpuPercent: (cpuMs / windowMs) * 100,
    process: processSample,
  };
}
