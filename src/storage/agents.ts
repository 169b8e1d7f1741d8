// Agents and the signed batches they pushed.
import type { Kysely } from 'kysely';
import type { AgentRecord, SignedBatch } from '../domain/agent.js';
import { ConflictError } from '../domain/errors.js';
import { canonicalJson } from '../domain/canonical-json.js';
import type { AgentsTable, AgentBatchesTable, Database } from './schema.js';

export type KeyRegistration = 'registered' | 'unchanged' | 'conflict';

/** Adds an agent, or gives a revoked one a new token (its old key is forgotten). An active name is a conflict. */
export async function addAgent(db: Kysely<Database>, agent: AgentRecord): Promise<void> {
  const existing = await db.selectFrom('agents').select('revoked_at').where('name', '=', agent.name).executeTakeFirst();
  if (existing && existing.revoked_at === null) throw new ConflictError('agent_exists', `an agent "${agent.name}" exists already (revoke it first to issue a new token)`);
  const row: AgentsTable = {
    name: agent.name,
    region: agent.region ?? null,
    token_hash: agent.tokenHash,
    public_key: null,
    created_at: agent.createdAt,
    revoked_at: null,
    last_seen_at: null,
    last_address: null,
    claimed_region: null,
  };
  if (existing) await db.updateTable('agents').set(row).where('name', '=', agent.name).execute();
  else await db.insertInto('agents').values(row).execute();
}

export async function listAgents(db: Kysely<Database>): Promise<AgentRecord[]> {
  const rows = await db.selectFrom('agents').selectAll().orderBy('name').execute();
  return rows.map(agentOf);
}

/** True when an active agent of that name was revoked now. */
export async function revokeAgent(db: Kysely<Database>, name: string, at: number): Promise<boolean> {
  const result = await db.updateTable('agents').set({ revoked_at: at }).where('name', '=', name).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The first key registered stays: another one is a conflict (a copied token, or an agent that lost its key). */
export async function registerAgentKey(db: Kysely<Database>, name: string, publicKey: string): Promise<KeyRegistration> {
  const result = await db.updateTable('agents').set({ public_key: publicKey }).where('name', '=', name).where('public_key', 'is', null).executeTakeFirst();
  if (Number(result.numUpdatedRows) > 0) return 'registered';
  const row = await db.selectFrom('agents').select('public_key').where('name', '=', name).executeTakeFirst();
  return row?.public_key === publicKey ? 'unchanged' : 'conflict';
}

export async function agentSeen(db: Kysely<Database>, name: string, at: number, address: string, claimedRegion?: string): Promise<void> {
  await db
    .updateTable('agents')
    .set({ last_seen_at: at, last_address: address, ...(claimedRegion !== undefined ? { claimed_region: claimedRegion } : {}) })
    .where('name', '=', name)
    .execute();
}

/** A batch sent again (same canonical text, same digest) is kept once, as first received. */
export async function recordBatch(db: Kysely<Database>, batch: SignedBatch): Promise<void> {
  await db
    .insertInto('agent_batches')
    .values({
      digest: batch.digest,
      agent: batch.agent,
      signature: batch.signature,
      sent_at: batch.sentAt,
      received_at: batch.receivedAt,
      observations: batch.observations,
      covers: canonicalJson(batch.covers),
      refused: batch.refused.length > 0 ? canonicalJson(batch.refused) : null,
    })
    .onConflict((oc) => oc.column('digest').doNothing())
    .execute();
}

export interface BatchQuery {
  /** Only batches received before this time (epoch ms): the page cursor. */
  readonly before?: number;
  readonly limit: number;
}

/** Newest first. */
export async function listBatches(db: Kysely<Database>, agent: string, query: BatchQuery): Promise<SignedBatch[]> {
  let select = db.selectFrom('agent_batches').selectAll().where('agent', '=', agent);
  if (query.before !== undefined) select = select.where('received_at', '<', query.before);
  const rows = await select.orderBy('received_at', 'desc').orderBy('digest').limit(query.limit).execute();
  return rows.map(batchOf);
}

export async function getBatch(db: Kysely<Database>, digest: string): Promise<SignedBatch | undefined> {
  const row = await db.selectFrom('agent_batches').selectAll().where('digest', '=', digest).executeTakeFirst();
  return row && batchOf(row);
}

function agentOf(row: AgentsTable): AgentRecord {
  return {
    name: row.name,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    ...(row.region !== null ? { region: row.region } : {}),
    ...(row.public_key !== null ? { publicKey: row.public_key } : {}),
    ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
    ...(row.last_seen_at !== null ? { lastSeenAt: row.last_seen_at } : {}),
    ...(row.last_address !== null ? { lastAddress: row.last_address } : {}),
    ...(row.claimed_region !== null ? { claimedRegion: row.claimed_region } : {}),
  };
}

function batchOf(row: AgentBatchesTable): SignedBatch {
  return {
    digest: row.digest,
    agent: row.agent,
    signature: row.signature,
    sentAt: row.sent_at,
    receivedAt: row.received_at,
    observations: row.observations,
    covers: JSON.parse(row.covers) as SignedBatch['covers'],
    refused: row.refused === null ? [] : (JSON.parse(row.refused) as unknown[]),
  };
}
