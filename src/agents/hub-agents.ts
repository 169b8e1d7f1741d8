// The hub's view of its agents: who holds which token (read from the database on each request, so
// `candor agents add/revoke` in another process take effect at once), when each was last heard from,
// and what it last said of its buffer. Contacts are written at most every CONTACT_WRITE_MS per agent.
import type { Logger } from 'pino';
import type { AgentRecord } from '../domain/agent.js';
import { UnauthorizedError } from '../domain/errors.js';
import type { VantageSpec } from '../domain/monitor.js';
import type { Clock } from '../runtime/clock.js';
import type { Store } from '../storage/store.js';
import { keyFingerprint } from './signatures.js';
import { bearerToken } from '../tokens/secret-token.js';
import { agentOfToken } from './tokens.js';

/** An agent missing this many heartbeats in a row is offline. */
export const MISSED_HEARTBEATS_OFFLINE = 3;
const CONTACT_WRITE_MS = 10_000;

/** How the hub hears from a vantage: `pending` never yet, `offline` after missed heartbeats. */
export type VantageConnection = 'online' | 'offline' | 'pending' | 'revoked';

export interface VantageView {
  readonly name: string;
  readonly kind: 'hub' | 'agent';
  /** The region given at `candor agents add` (for the hub: its config). */
  readonly region?: string;
  /** The region the agent itself says it is in. */
  readonly claimedRegion?: string;
  readonly connection: VantageConnection;
  readonly lastSeenAt?: number;
  readonly publicKeyFingerprint?: string;
  /** What the agent last reported of its disk buffer. */
  readonly buffered?: number;
  readonly dropped?: number;
}

export interface AgentReport {
  readonly buffered?: number;
  readonly dropped?: number;
  readonly claimedRegion?: string;
}

export interface HubAgentsDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly local: VantageSpec;
  readonly heartbeatMs: number;
}

export class HubAgents {
  private active: ReadonlySet<string>;
  private readonly lastSeen = new Map<string, number>();
  private readonly lastWritten = new Map<string, number>();
  private readonly reports = new Map<string, AgentReport>();
  private records = new Map<string, AgentRecord>();

  constructor(private readonly deps: HubAgentsDeps) {
    this.active = new Set([deps.local.name]);
  }

  /** The vantages whose observations are taken: the hub's own and every agent not revoked. */
  names(): ReadonlySet<string> {
    return this.active;
  }

  async refresh(): Promise<AgentRecord[]> {
    const agents = await this.deps.store.agents.list();
    this.records = new Map(agents.map((agent) => [agent.name, agent]));
    this.active = new Set([this.deps.local.name, ...agents.filter((a) => a.revokedAt === undefined).map((a) => a.name)]);
    return agents;
  }

  /** The agent holding the bearer token, or an UnauthorizedError (logged with the source address). */
  async authenticate(authorization: string | undefined, address: string): Promise<AgentRecord> {
    const token = bearerToken(authorization);
    const agent = token === undefined ? undefined : agentOfToken(await this.refresh(), token);
    if (!agent) {
      const why = authorization === undefined ? 'missing' : token === undefined ? 'malformed' : 'wrong or revoked';
      this.deps.log.warn({ address, token: why }, 'agent request refused: no valid token');
      throw new UnauthorizedError('unauthorized', `a valid agent token is required (Authorization: Bearer TOKEN); the one given is ${why}`);
    }
    return agent;
  }

  /** Every authenticated request is a sign of life: remembered at once, written now and then. */
  async contact(agent: AgentRecord, address: string, report?: AgentReport): Promise<void> {
    const now = this.deps.clock.now();
    const previous = this.lastSeen.get(agent.name) ?? agent.lastSeenAt;
    this.lastSeen.set(agent.name, now);
    if (report && (report.buffered !== undefined || report.dropped !== undefined)) this.reports.set(agent.name, report);
    if (previous === undefined || now - previous > MISSED_HEARTBEATS_OFFLINE * this.deps.heartbeatMs) {
      this.deps.log.info({ agent: agent.name, address, region: agent.region }, `agent ${agent.name} is online`);
    }
    const claimedRegion = report?.claimedRegion;
    const changed = agent.lastAddress !== address || (claimedRegion !== undefined && claimedRegion !== agent.claimedRegion);
    if (now - (this.lastWritten.get(agent.name) ?? 0) < CONTACT_WRITE_MS && !changed) return;
    this.lastWritten.set(agent.name, now);
    await this.deps.store.agents.seen(agent.name, now, address, claimedRegion);
  }

  /**
   * True for an agent that is not heard from (offline after missed heartbeats, never heard from, or
   * revoked): its last states count neither for nor against any target. The hub itself never is.
   */
  isOffline(name: string): boolean {
    if (name === this.deps.local.name) return false;
    const agent = this.records.get(name);
    if (!agent) return false;
    return this.connectionOf(agent, this.deps.clock.now()) !== 'online';
  }

  /** The region of a vantage: given at `candor agents add` (for the hub: its config), else the one the agent claims. */
  regionOf(name: string): string | undefined {
    if (name === this.deps.local.name) return this.deps.local.region;
    const agent = this.records.get(name);
    return agent?.region ?? agent?.claimedRegion;
  }

  private connectionOf(agent: AgentRecord, now: number): VantageConnection {
    const lastSeenAt = this.lastSeen.get(agent.name) ?? agent.lastSeenAt;
    if (agent.revokedAt !== undefined) return 'revoked';
    if (lastSeenAt === undefined) return 'pending';
    return now - lastSeenAt > MISSED_HEARTBEATS_OFFLINE * this.deps.heartbeatMs ? 'offline' : 'online';
  }

  async views(): Promise<VantageView[]> {
    const now = this.deps.clock.now();
    const hub: VantageView = { name: this.deps.local.name, kind: 'hub', connection: 'online', lastSeenAt: now, ...(this.deps.local.region ? { region: this.deps.local.region } : {}) };
    const agents = (await this.refresh()).map((agent): VantageView => {
      const lastSeenAt = this.lastSeen.get(agent.name) ?? agent.lastSeenAt;
      const report = this.reports.get(agent.name);
      return {
        name: agent.name,
        kind: 'agent',
        connection: this.connectionOf(agent, now),
        ...(agent.region !== undefined ? { region: agent.region } : {}),
        ...(agent.claimedRegion !== undefined ? { claimedRegion: agent.claimedRegion } : {}),
        ...(lastSeenAt !== undefined ? { lastSeenAt } : {}),
        ...(agent.publicKey !== undefined ? { publicKeyFingerprint: keyFingerprint(agent.publicKey) } : {}),
        ...(report?.buffered !== undefined ? { buffered: report.buffered } : {}),
        ...(report?.dropped !== undefined ? { dropped: report.dropped } : {}),
      };
    });
    return [hub, ...agents];
  }
}
