// The bare machine's ceiling: GETs to the same targets, a fresh connection each, as many as the same
// concurrency cap allows, for a fixed time and a bounded count. Two clients: undici (reset after each
// request) and node:http with a throw-away agent and "connection: close", which is what the probe does.
import http from 'node:http';
import { Agent, request } from 'undici';

export type CeilingClient = 'undici' | 'node:http';

export interface CeilingInput {
  readonly client: CeilingClient;
  readonly targetUrls: readonly string[];
  readonly concurrency: number;
  readonly durationMs: number;
  readonly maxRequests: number;
  readonly timeoutMs: number;
}

export interface CeilingOutcome {
  readonly client: CeilingClient;
  readonly requests: number;
  readonly errors: number;
  readonly firstError?: string;
  readonly elapsedMs: number;
  readonly requestsPerSecond: number;
  readonly cpuPercent: number;
  readonly cpuMicrosPerRequest: number;
  readonly peakRssBytes: number;
}

type Get = (url: string) => Promise<void>;

function undiciGet(timeoutMs: number): { get: Get; close: () => Promise<void> } {
  const dispatcher = new Agent({ pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return {
    async get(url) {
      const response = await request(url, { dispatcher, reset: true });
      await response.body.text();
      if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
    },
    close: () => dispatcher.close(),
  };
}

function nodeHttpGet(timeoutMs: number): { get: Get; close: () => Promise<void> } {
  return {
    get: (url) =>
      new Promise<void>((resolve, reject) => {
        const agent = new http.Agent({ keepAlive: false, maxSockets: 1 });
        const clientRequest = http.get(url, { agent, headers: { connection: 'close' }, timeout: timeoutMs }, (response) => {
          response.on('data', () => undefined);
          response.on('end', () => (response.statusCode === 200 ? resolve() : reject(new Error(`status ${response.statusCode}`))));
          response.on('error', reject);
        });
        clientRequest.on('timeout', () => clientRequest.destroy(new Error('timeout')));
        clientRequest.on('error', reject);
        clientRequest.on('close', () => agent.destroy());
      }),
    close: async () => undefined,
  };
}

export async function runCeiling(input: CeilingInput): Promise<CeilingOutcome> {
  const { get, close } = input.client === 'undici' ? undiciGet(input.timeoutMs) : nodeHttpGet(input.timeoutMs);
  let started = 0;
  let requests = 0;
  let errors = 0;
  let firstError: string | undefined;
  let peakRssBytes = process.memoryUsage.rss();
  const rssTimer = setInterval(() => (peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss())), 500).unref();
  const cpuFrom = process.cpuUsage();
  const startedAt = performance.now();
  const deadline = startedAt + input.durationMs;

  const worker = async (workerIndex: number): Promise<void> => {
    while (performance.now() < deadline && started < input.maxRequests) {
      const url = `${input.targetUrls[(started + workerIndex) % input.targetUrls.length]}/ceiling/${started}`;
      started += 1;
      try {
        await get(url);
        requests += 1;
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: input.concurrency }, (_, index) => worker(index)));
  const elapsedMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuFrom);
  clearInterval(rssTimer);
  await close();
  const cpuMicros = cpu.user + cpu.system;
  return {
    client: input.client,
    requests,
    errors,
    ...(firstError === undefined ? {} : { firstError }),
    elapsedMs,
    requestsPerSecond: requests / (elapsedMs / 1000),
    cpuPercent: (cpuMicros / 1000 / elapsedMs) * 100,
    cpuMicrosPerRequest: requests === 0 ? NaN : cpuMicros / requests,
    peakRssBytes,
  };
}
