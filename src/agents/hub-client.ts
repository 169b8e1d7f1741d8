// The agent's side of the wire: the four requests it makes to its hub, with a bounded time each.
// Failures are typed so the agent can tell "the hub is away" (keep buffering) from "the hub refuses".
import type { Assignment } from './assignment.js';
import type { PushAnswer } from './receive.js';
import type { SnapshotsAnswer } from './receive-provenance.js';

export type HubFailureKind = 'unreachable' | 'unauthorized' | 'conflict' | 'too_large' | 'refused';

export class HubFailure extends Error {
  constructor(
    readonly kind: HubFailureKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'HubFailure';
  }
}

export interface SignedPush {
  readonly agent: string;
  readonly sentAt: number;
  readonly observations: readonly unknown[];
  readonly signature: string;
}

export interface SignedSnapshots {
  readonly agent: string;
  readonly sentAt: number;
  readonly snapshots: readonly unknown[];
  readonly signature: string;
}

export interface HubClient {
  /** undefined when the assignment is unchanged (304). */
  assignment(knownVersion: string | undefined): Promise<Assignment | undefined>;
  registerKey(publicKey: string): Promise<{ fingerprint: string }>;
  push(batch: SignedPush): Promise<PushAnswer>;
  pushProvenance(batch: SignedSnapshots): Promise<SnapshotsAnswer>;
}

export interface HttpHubClientOptions {
  readonly hubUrl: string;
  readonly token: string;
  readonly timeoutMs: number;
  /** The region this agent says it is in, sent with every request. */
  readonly region?: string;
  /** Reported with every request (headers), so the hub can show it. */
  bufferReport(): { readonly buffered: number; readonly dropped: number };
}

export function httpHubClient(options: HttpHubClientOptions): HubClient {
  const base = options.hubUrl.replace(/\/+$/, '');
  const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> => {
    const report = options.bufferReport();
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${options.token}`,
          'candor-agent-buffered': String(report.buffered),
          'candor-agent-dropped': String(report.dropped),
          ...(options.region !== undefined ? { 'candor-agent-region': options.region } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      throw new HubFailure('unreachable', `${method} ${path}: ${describe(error)}`, { cause: error });
    }
    if (response.ok || response.status === 304) return response;
    const detail = await problemDetail(response);
    if (response.status === 401) throw new HubFailure('unauthorized', `the hub refused the token: ${detail}`);
    if (response.status === 409) throw new HubFailure('conflict', detail);
    if (response.status === 413) throw new HubFailure('too_large', detail);
    // 5xx (the hub's storage failing, a proxy without its hub) is the hub being away, for now.
    if (response.status >= 500) throw new HubFailure('unreachable', `${method} ${path}: ${response.status} ${detail}`);
    throw new HubFailure('refused', `${method} ${path}: ${response.status} ${detail}`);
  };
  return {
    async assignment(knownVersion) {
      const response = await request('GET', '/api/v1/agent/assignment', undefined, knownVersion ? { 'if-none-match': `"${knownVersion}"` } : {});
      if (response.status === 304) return undefined;
      return (await response.json()) as Assignment;
    },
    async registerKey(publicKey) {
      return (await (await request('PUT', '/api/v1/agent/key', { publicKey })).json()) as { fingerprint: string };
    },
    async push(batch) {
      return (await (await request('POST', '/api/v1/agent/results', batch)).json()) as PushAnswer;
    },
    async pushProvenance(batch) {
      return (await (await request('POST', '/api/v1/agent/provenance', batch)).json()) as SnapshotsAnswer;
    },
  };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

async function problemDetail(response: Response): Promise<string> {
  try {
    const problem = (await response.json()) as { detail?: string };
    return problem.detail ?? response.statusText;
  } catch {
    // Not problem+json (a proxy's page): the status line says enough.
    return response.statusText;
  }
}
