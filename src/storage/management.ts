// Monitors and maintenance windows made through the management API.
import type { Kysely } from 'kysely';
import type { ApiMonitorRecord, MaintenanceRecord } from '../domain/management.js';
import type { MaintenanceWindow } from '../domain/monitor.js';
import { canonicalJson } from '../domain/canonical-json.js';
import type { Database } from './schema.js';

/** Inserts or replaces a monitor made through the API. */
export async function putApiMonitor(db: Kysely<Database>, record: ApiMonitorRecord): Promise<void> {
  const row = { id: record.id, body: canonicalJson(record.body), created_at: record.createdAt, updated_at: record.updatedAt };
  await db
    .insertInto('api_monitors')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ body: row.body, updated_at: row.updated_at }))
    .execute();
}

/** True when there was such a monitor. */
export async function deleteApiMonitor(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('api_monitors').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listApiMonitors(db: Kysely<Database>): Promise<ApiMonitorRecord[]> {
  const rows = await db.selectFrom('api_monitors').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, body: JSON.parse(row.body) as Record<string, unknown>, createdAt: row.created_at, updatedAt: row.updated_at }));
}

export async function addMaintenance(db: Kysely<Database>, record: MaintenanceRecord): Promise<void> {
  await db
    .insertInto('maintenance_windows')
    .values({
      id: record.id,
      title: record.title ?? null,
      monitor_ids: JSON.stringify(record.monitorIds),
      components: JSON.stringify(record.components),
      window: canonicalJson(record.window),
      created_at: record.createdAt,
    })
    .execute();
}

/** True when there was such a window. */
export async function deleteMaintenance(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('maintenance_windows').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Oldest first. */
export async function listMaintenance(db: Kysely<Database>): Promise<MaintenanceRecord[]> {
  const rows = await db.selectFrom('maintenance_windows').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => ({
    id: row.id,
    ...(row.title !== null ? { title: row.title } : {}),
    monitorIds: JSON.parse(row.monitor_ids) as string[],
    components: JSON.parse(row.components) as string[],
    window: JSON.parse(row.window) as MaintenanceWindow,
    createdAt: row.created_at,
  }));
}
