// The audit log: appended by the HTTP layer after each write, read newest first with keyset paging.
import { sql, type Kysely } from 'kysely';
import type { AuditEntry, AuditQuery } from '../domain/audit.js';
import { canonicalJson } from '../domain/canonical-json.js';
import type { AuditLogTable, Database } from './schema.js';

export async function recordAudit(db: Kysely<Database>, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      entries.map((entry) => ({
        id: entry.id,
        at: entry.at,
        token: entry.token ?? null,
        method: entry.method,
        route: entry.route,
        target: canonicalJson(entry.target),
        status: entry.status,
        address: entry.address,
      })),
    )
    .execute();
}

/** Newest first by (at, id); `before` is the id of the last entry of the previous page. */
export async function listAudit(db: Kysely<Database>, query: AuditQuery): Promise<AuditEntry[]> {
  let select = db.selectFrom('audit_log').selectAll();
  if (query.before !== undefined) {
    const cursor = await db.selectFrom('audit_log').select(['at', 'id']).where('id', '=', query.before).executeTakeFirst();
    // A cursor whose row was pruned still pages: ids sort by time.
    select = cursor
      ? select.where(sql<boolean>`(at < ${cursor.at} or (at = ${cursor.at} and id < ${cursor.id}))`)
      : select.where('id', '<', query.before);
  }
  const rows = await select.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(entryOf);
}

export async function pruneAudit(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('audit_log').where('at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function entryOf(row: AuditLogTable): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    ...(row.token !== null ? { token: row.token } : {}),
    method: row.method,
    route: row.route,
    target: JSON.parse(row.target) as Record<string, string>,
    status: row.status,
    address: row.address,
  };
}
