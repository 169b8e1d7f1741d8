// The agents' side of the API (token required): their assignment, their key, their batches; and the
// public list of vantages with each agent's signed batches, for anyone to check who observed what.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ConflictError, BadRequestError, ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { MonitorSpec } from '../../domain/monitor.js';
import { VANTAGE_NAME } from '../../domain/vantage-patterns.js';
import { assignmentFor } from '../../agents/assignment.js';
import type { HubAgents } from '../../agents/hub-agents.js';
import { MAX_BATCH_OBSERVATIONS, receiveBatch, type ReceiveDeps } from '../../agents/receive.js';
import { keyFingerprint, publicKeyOf } from '../../agents/signatures.js';
import { MAX_SNAPSHOTS_PER_BATCH, receiveSnapshots } from '../../agents/receive-provenance.js';
import type { ObservedProvenance } from '../../provenance/ledger-step.js';
import type { ProvenanceSettings } from '../../domain/monitor.js';
import { iso } from '../../read/serialise.js';
import type { Store } from '../../storage/store.js';
import { errorResponses } from '../schemas.js';
import type { VantageCondition } from '../../domain/consensus.js';
import type { VantageView } from '../../agents/hub-agents.js';

/** A vantage for consensus: offline unless heard from (pending and revoked agents too), else ok or impaired. */
function conditionOf(view: VantageView, impaired: (name: string) => boolean): VantageCondition {
  if (view.connection !== 'online') return 'offline';
  return impaired(view.name) ? 'impaired' : 'ok';
}

export interface AgentRouteDeps extends ReceiveDeps {
  readonly agents: HubAgents;
  /** Whether a vantage is impaired (its own network down), as ingest judges it. */
  readonly ingest: ReceiveDeps['ingest'] & { vantageCondition?(vantage: string): VantageCondition };
  readonly store: Store;
  readonly heartbeatMs: number;
  readonly api?: { readonly publicResults: boolean };
  /** Reference targets every agent checks along with its monitors. */
  readonly controls?: readonly MonitorSpec[];
  /** The config's `provenance:`, sent with every assignment. */
  readonly provenance?: ProvenanceSettings;
  /** Where agents' provenance snapshots go (the hub's ProvenanceRecorder); absent: they are refused. */
  readonly recordProvenance?: (observed: ObservedProvenance) => Promise<void>;
}

/** A batch of 1,000 observations with large details stays well under this. */
export const MAX_BATCH_BODY_BYTES = 8 * 1024 * 1024;

const authResponses = { 401: { $ref: 'Problem#' }, 400: { $ref: 'Problem#' } } as const;
const bearer = { headers: { type: 'object', properties: { authorization: { type: 'string', description: 'Bearer TOKEN (from candor agents add)' } } } } as const;

const count = (value: unknown): number | undefined => {
  const text = Array.isArray(value) ? value[0] : value;
  return typeof text === 'string' && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
};

export function agentRoutes(app: FastifyInstance, deps: AgentRouteDeps): void {
  const authenticate = async (request: FastifyRequest) => {
    const agent = await deps.agents.authenticate(request.headers.authorization, request.ip);
    const buffered = count(request.headers['candor-agent-buffered']);
    const dropped = count(request.headers['candor-agent-dropped']);
    const region = request.headers['candor-agent-region'];
    const claimedRegion = typeof region === 'string' && /^[\x20-\x7e]{1,100}$/.test(region) ? region : undefined;
    await deps.agents.contact(agent, request.ip, {
      ...(buffered !== undefined ? { buffered } : {}),
      ...(dropped !== undefined ? { dropped } : {}),
      ...(claimedRegion !== undefined ? { claimedRegion } : {}),
    });
    return agent;
  };

  app.get('/api/v1/agent/assignment', {
    config: { scope: 'agent' },
    schema: {
      summary: "An agent's assignment: the monitors it checks and the config version (ETag; If-None-Match answers 304). Each request is a heartbeat.",
      tags: ['agents'],
      ...bearer,
      response: { 200: { type: 'object', additionalProperties: true }, 304: { type: 'null', description: 'Not modified' }, ...authResponses },
    },
    handler: async (request, reply) => {
      const agent = await authenticate(request);
      const assignment = assignmentFor(agent, deps.monitors.values() as Iterable<MonitorSpec>, { heartbeatMs: deps.heartbeatMs, maxBatch: MAX_BATCH_OBSERVATIONS, ...(deps.controls ? { controls: deps.controls } : {}), ...(deps.provenance ? { provenance: deps.provenance } : {}) });
      const etag = `"${assignment.version}"`;
      reply.header('etag', etag).header('cache-control', 'no-store');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return assignment;
    },
  });

  app.put<{ Body: { publicKey: string } }>('/api/v1/agent/key', {
    config: { scope: 'agent' },
    schema: {
      summary: "Registers the agent's Ed25519 public key (raw, base64url) at first contact; the first key registered stays",
      tags: ['agents'],
      ...bearer,
      body: { type: 'object', additionalProperties: false, properties: { publicKey: { type: 'string', minLength: 43, maxLength: 43 } }, required: ['publicKey'] },
      response: { 200: { type: 'object', properties: { fingerprint: { type: 'string' }, registered: { type: 'boolean' } } }, 409: { $ref: 'Problem#' }, ...authResponses },
    },
    handler: async (request) => {
      const agent = await authenticate(request);
      const { publicKey } = request.body;
      if (!publicKeyOf(publicKey)) throw new BadRequestError('publicKey: expected a raw Ed25519 public key, base64url (43 characters)');
      const outcome = await deps.store.agents.registerKey(agent.name, publicKey);
      if (outcome === 'conflict') {
        request.log.warn({ agent: agent.name, address: request.ip }, 'agent key refused: another key is registered');
        throw new ConflictError('key_conflict', `another key is registered for ${agent.name}; revoke the agent and add it again to start over with a new key`);
      }
      if (outcome === 'registered') request.log.info({ agent: agent.name, fingerprint: keyFingerprint(publicKey) }, `agent ${agent.name} registered its key`);
      return { fingerprint: keyFingerprint(publicKey), registered: outcome === 'registered' };
    },
  });

  app.post<{ Body: { agent?: string; sentAt?: number; observations: unknown[]; signature?: string } }>('/api/v1/agent/results', {
    bodyLimit: MAX_BATCH_BODY_BYTES,
    // Stored batches are the record of agents' pushes: only refused ones go to the audit log.
    config: { scope: 'agent', audit: 'failures' },
    schema: {
      summary: 'A signed batch of observations; answered after commit, per observation, in order (stored, duplicate or refused with a reason)',
      tags: ['agents'],
      ...bearer,
      body: {
        type: 'object',
        properties: {
          agent: {},
          sentAt: {},
          signature: {},
          observations: { type: 'array', items: {} },
        },
        required: ['observations'],
      },
      response: { 200: { type: 'object', additionalProperties: true }, 413: { $ref: 'Problem#' }, ...authResponses },
    },
    handler: async (request) => {
      const agent = await authenticate(request);
      return receiveBatch(deps, agent, request.body);
    },
  });

  app.post<{ Body: { agent?: string; sentAt?: number; snapshots: unknown[]; signature?: string } }>('/api/v1/agent/provenance', {
    bodyLimit: MAX_BATCH_BODY_BYTES,
    config: { scope: 'agent', audit: 'failures' },
    schema: {
      summary: `A signed batch of provenance snapshots the agent took (at most ${MAX_SNAPSHOTS_PER_BATCH}); answered after they are written to the ledger, per snapshot, in order (recorded, or refused with a reason)`,
      tags: ['agents'],
      ...bearer,
      body: {
        type: 'object',
        properties: {
          agent: {},
          sentAt: {},
          signature: {},
          snapshots: { type: 'array', items: {}, description: 'Each { monitorId, at (epoch ms), snapshot } (see docs/provenance.md)' },
        },
        required: ['snapshots'],
      },
      response: {
        200: {
          type: 'object',
          properties: {
            results: {
              type: 'array',
              items: {
                type: 'object',
                properties: { status: { type: 'string', enum: ['recorded', 'refused'] }, reason: { type: 'string' }, message: { type: 'string' } },
                required: ['status'],
              },
            },
          },
          required: ['results'],
        },
        413: { $ref: 'Problem#' },
        ...authResponses,
      },
    },
    handler: async (request) => {
      const agent = await authenticate(request);
      const record = deps.recordProvenance;
      if (!record) return { results: request.body.snapshots.map(() => ({ status: 'refused', reason: 'not_observed', message: 'this hub keeps no provenance ledger' })) };
      return receiveSnapshots({ monitors: deps.monitors, record, clock: deps.clock, log: deps.log }, agent, request.body);
    },
  });

  app.get('/api/v1/vantages', {
    schema: {
      summary: 'Where checks run from: this hub and every agent, with state (ok, impaired, offline), last contact and public key fingerprint',
      tags: ['agents'],
      response: {
        200: {
          type: 'object',
          properties: {
            vantages: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  name: { type: 'string' },
                  kind: { type: 'string', enum: ['hub', 'agent'] },
                  region: { type: 'string', description: 'As given at candor agents add (for the hub: its config)' },
                  claimedRegion: { type: 'string', description: 'As the agent itself says (candor agent --region); a claim, not a measurement' },
                  state: {
                    type: 'string',
                    enum: ['ok', 'impaired', 'offline'],
                    description: "As consensus counts it: ok; impaired (its own network looks down: set aside); offline (missed heartbeats, never heard from, or revoked: counts neither for nor against a target)",
                  },
                  connection: { type: 'string', enum: ['online', 'offline', 'pending', 'revoked'], description: 'How the hub hears from it: pending before its first contact, offline after three missed heartbeats' },
                  lastSeenAt: { type: 'string', format: 'date-time' },
                  lastSeen: { type: 'string', format: 'date-time', description: 'Same as lastSeenAt (kept for older clients)' },
                  fingerprint: { type: 'string', description: "SHA-256 fingerprint of the agent's Ed25519 public key" },
                  publicKeyFingerprint: { type: 'string', description: 'Same as fingerprint (kept for older clients)' },
                  buffered: { type: 'integer', description: 'Observations waiting in the agent\'s disk buffer, as it last reported' },
                  dropped: { type: 'integer', description: 'Observations the agent dropped from a full buffer, as it last reported' },
                },
                required: ['name', 'kind', 'state', 'connection'],
              },
            },
          },
        },
      },
    },
    handler: async () => {
      const views = await deps.agents.views();
      const impaired = (name: string) => deps.ingest.vantageCondition?.(name) === 'impaired';
      return {
        vantages: views.map(({ lastSeenAt, ...view }) => ({
          ...view,
          state: conditionOf(view, impaired),
          ...(lastSeenAt !== undefined ? { lastSeenAt: iso(lastSeenAt), lastSeen: iso(lastSeenAt) } : {}),
          ...(view.publicKeyFingerprint !== undefined ? { fingerprint: view.publicKeyFingerprint } : {}),
        })),
      };
    },
  });

  app.get<{ Params: { name: string }; Querystring: { before?: string; limit: number } }>('/api/v1/vantages/:name/batches', {
    schema: {
      summary: "An agent's signed batches, newest first: signature, digest and the stored observations each covers (see docs/agents.md to check them)",
      tags: ['agents'],
      params: { type: 'object', properties: { name: { type: 'string', pattern: VANTAGE_NAME.source } }, required: ['name'] },
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          before: { type: 'string', pattern: '^\\d{1,15}$', description: 'Only batches received before this time (epoch ms): the next page' },
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
        },
      },
      response: { 200: { type: 'object', additionalProperties: true }, 403: { $ref: 'Problem#' }, ...errorResponses },
    },
    handler: async (request) => {
      if (deps.api?.publicResults === false) throw new ForbiddenError('results_private', 'raw results are private on this Candor (api.publicResults: false)');
      const agent = (await deps.store.agents.list()).find((a) => a.name === request.params.name);
      if (!agent) throw new NotFoundError('agent', request.params.name);
      const batches = await deps.store.listBatches(agent.name, {
        limit: request.query.limit,
        ...(request.query.before !== undefined ? { before: Number(request.query.before) } : {}),
      });
      return {
        agent: agent.name,
        ...(agent.publicKey !== undefined ? { publicKey: agent.publicKey, publicKeyFingerprint: keyFingerprint(agent.publicKey) } : {}),
        batches: batches.map((batch) => ({
          ...batch,
          covers: batch.covers.map((c) => ({ ...c, vantage: agent.name })),
        })),
      };
    },
  });
}
