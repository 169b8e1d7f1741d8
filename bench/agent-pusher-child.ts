// One agent of the agents-over-HTTP bench, in a process of its own: the agent's own signing and HTTP
// client code (src/agents/signatures.ts, hub-client.ts) push its monitors round after round, a batch
// at a time, each push awaited (as `candor agent` does). It talks to the hub on 127.0.0.1 only.
// Protocol with the parent: input → { kind: 'first-done' } after round 0 → { kind: 'go', deadline } →
// { kind: 'done', ... }. Every loop is bounded by its round count and the deadline.
import type { JsonWebKey } from 'node:crypto';
import { httpHubClient } from '../src/agents/hub-client.js';
import { canonicalBatchText, importPrivateKey, signText } from '../src/agents/signatures.js';

export interface PusherInput {
  readonly hubUrl: string;
  readonly name: string;
  readonly token: string;
  readonly privateKey: JsonWebKey;
  readonly monitorIds: readonly string[];
  readonly batch: number;
  /** Round r is dated t0 + r minutes. */
  readonly t0: number;
  readonly maxRounds: number;
  /** Bounds the first round. */
  readonly firstDeadline: number;
}

export interface PusherPhase {
  readonly stored: number;
  readonly refused: number;
  readonly firstRefusal?: string;
  readonly latenciesMs: number[];
}

const INTERVAL_MS = 60_000;
const HTTP_DETAILS = { type: 'http', status: 200, httpVersion: '1.1', headers: {}, bodyBytes: 3, bodyTruncated: false, redirects: [] } as const;

function observation(monitorId: string, index: number, vantage: string, agentIndex: number, round: number, t0: number) {
  const startedAt = t0 + round * INTERVAL_MS + ((index * 59 + agentIndex * 7) % INTERVAL_MS);
  const total = 20 + ((index + round) % 40) + 0.37;
  // Phases travel with at most two decimals (the hub refuses more): rounded as the agent's probes do.
  const ttfb = Math.round((total - 2) * 100) / 100;
  return {
    monitorId,
    vantage,
    plannedAt: startedAt - 2,
    startedAt,
    ok: true,
    phases: { dns: 1.12, connect: 3.5, tls: 8.25, ttfb, total },
    // Documentation addresses (RFC 5737): data only, nothing connects to them.
    peerAddress: `192.0.2.${1 + (index % 200)}`,
    details: HTTP_DETAILS,
  };
}

async function pushRounds(input: PusherInput, agentIndex: number, rounds: readonly number[], deadline: number): Promise<PusherPhase> {
  const keys = importPrivateKey(input.privateKey);
  const client = httpHubClient({ hubUrl: input.hubUrl, token: input.token, timeoutMs: 60_000, bufferReport: () => ({ buffered: 0, dropped: 0 }) });
  const phase = { stored: 0, refused: 0, latenciesMs: [] as number[], firstRefusal: undefined as string | undefined };
  for (const round of rounds) {
    if (round >= input.maxRounds) break;
    for (let from = 0; from < input.monitorIds.length; from += input.batch) {
      if (Date.now() >= deadline) return phase;
      const observations = input.monitorIds.slice(from, from + input.batch).map((id, i) => observation(id, from + i, input.name, agentIndex, round, input.t0));
      const sentAt = Date.now();
      const signature = signText(canonicalBatchText({ agent: input.name, sentAt, observations }), keys.privateKey);
      const startedAt = performance.now();
      const answer = await client.push({ agent: input.name, sentAt, observations, signature });
      phase.latenciesMs.push(performance.now() - startedAt);
      for (const result of answer.results) {
        if (result.status === 'stored') phase.stored++;
        else {
          phase.refused++;
          phase.firstRefusal ??= result.status === 'refused' ? `${result.reason}: ${result.message}` : result.status;
        }
      }
    }
  }
  return phase;
}

function nextMessage<T>(kind: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: { kind?: string }) => {
      if (message.kind !== kind) return;
      process.off('message', onMessage);
      resolve(message as T);
    };
    process.on('message', onMessage);
  });
}

process.once('message', (received: PusherInput & { agentIndex: number }) => {
  void (async () => {
    try {
      const first = await pushRounds(received, received.agentIndex, [0], received.firstDeadline);
      const go = nextMessage<{ deadline: number }>('go');
      process.send?.({ kind: 'first-done', phase: first });
      const { deadline } = await go;
      const rounds = Array.from({ length: received.maxRounds - 1 }, (_, i) => i + 1);
      const steady = await pushRounds(received, received.agentIndex, rounds, deadline);
      process.send?.({ kind: 'done', phase: steady }, () => process.disconnect());
    } catch (error) {
      process.send?.({ kind: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.disconnect());
    }
  })();
});
