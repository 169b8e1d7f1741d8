// API tokens (candor tokens create|list|revoke): only the SHA-256 of each token is stored.
import type { Kysely } from 'kysely';
import { isTokenScope, type ApiTokenRecord } from '../domain/api-token.js';
import { ConflictError, StorageError } from '../domain/errors.js';
import type { ApiTokensTable, Database } from './schema.js';

/** Adds a token, or re-issues a revoked name. An active name is a conflict. */
export async function addApiToken(db: Kysely<Database>, token: ApiTokenRecord): Promise<void> {
  const existing = await db.selectFrom('api_tokens').select('revoked_at').where('name', '=', token.name).executeTakeFirst();
  if (existing && existing.revoked_at === null) throw new ConflictError('token_exists', `a token "${token.name}" exists already (revoke it first to issue a new one)`);
  const row: ApiTokensTable = { name: token.name, scope: token.scope, token_hash: token.tokenHash, created_at: token.createdAt, revoked_at: null };
  if (existing) await db.updateTable('api_tokens').set(row).where('name', '=', token.name).execute();
  else await db.insertInto('api_tokens').values(row).execute();
}

export async function listApiTokens(db: Kysely<Database>): Promise<ApiTokenRecord[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().orderBy('name').execute();
  return rows.map(tokenOf);
}

/** True when an active token of that name was revoked now. */
export async function revokeApiToken(db: Kysely<Database>, name: string, at: number): Promise<boolean> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: at }).where('name', '=', name).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

function tokenOf(row: ApiTokensTable): ApiTokenRecord {
  if (!isTokenScope(row.scope)) throw new StorageError('storage_failed', `api token "${row.name}" has an unknown scope "${row.scope}"`);
  return {
    name: row.name,
    scope: row.scope,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    ...(row.revoked_at !== null ? { revokedAt: row.revoked_at } : {}),
  };
}
