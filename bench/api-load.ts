// A load generator in a process of its own: keeps `connections` requests to `url` in flight for
// `durationMs` (bounded also by maxRequests), and says how many it made and how long they took.
import { Agent, request } from 'undici';
import { answerParent } from './child-run.js';
import { distribution, type Distribution } from './percentiles.js';

export interface ApiLoadInput {
  readonly url: string;
  readonly connections: number;
  readonly durationMs: number;
  readonly maxRequests: number;
}

export interface ApiLoadOutcome {
  readonly requests: number;
  readonly failed: number;
  readonly perSecond: number;
  readonly latencyMs: Distribution;
}

export async function loadApi(input: ApiLoadInput): Promise<ApiLoadOutcome> {
  const dispatcher = new Agent({ connections: input.connections });
  const timings: number[] = [];
  let failed = 0;
  let started = 0;
  const startedAt = performance.now();
  const deadline = startedAt + input.durationMs;
  const worker = async () => {
    while (performance.now() < deadline && started < input.maxRequests) {
      started++;
      const t = performance.now();
      try {
        const response = await request(input.url, { dispatcher });
        await response.body.dump();
        if (response.statusCode !== 200) failed++;
      } catch {
        failed++;
      }
      timings.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: input.connections }, worker));
  const wallMs = performance.now() - startedAt;
  await dispatcher.close();
  return { requests: timings.length, failed, perSecond: (timings.length / wallMs) * 1000, latencyMs: distribution(timings) };
}

answerParent(loadApi);
