// The notification outbox's queries. Rows are written with the events that cause them (UnitOfWork)
// and settled by the delivery worker, one attempt at a time.
import type { Kysely, Selectable } from 'kysely';
import type { Notice } from '../domain/alerting.js';
import type { Database, NotificationsTable } from './schema.js';
import type { NotificationQuery, NotificationSettlement, OutboxEntry, StoredNotification } from './store.js';

export async function addNotifications(db: Kysely<Database>, entries: readonly OutboxEntry[]): Promise<void> {
  for (const entry of entries) {
    await db
      .insertInto('notifications')
      .values({
        id: entry.id,
        channel_id: entry.channelId,
        dedup: entry.dedup,
        kind: entry.notice.kind,
        group_key: entry.groupKey ?? null,
        monitor_id: entry.monitorId ?? null,
        notice: JSON.stringify(entry.notice),
        state: 'pending',
        attempts: 0,
        created_at: entry.createdAt,
        due_at: entry.dueAt,
        updated_at: entry.createdAt,
        remind_every_ms: entry.remindEveryMs ?? null,
        subscriber_id: entry.subscriberId ?? null,
      })
      .onConflict((oc) => oc.columns(['channel_id', 'dedup']).doNothing())
      .execute();
  }
}

/** A pending notification of this channel and group that has not been attempted and is not due before `after`. */
export async function openGroup(db: Kysely<Database>, channelId: string, groupKey: string, after: number): Promise<StoredNotification | undefined> {
  const row = await db
    .selectFrom('notifications')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('group_key', '=', groupKey)
    .where('state', '=', 'pending')
    .where('attempts', '=', 0)
    .where('due_at', '>', after)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && toNotification(row);
}

export async function replaceNotice(db: Kysely<Database>, id: string, notice: Notice, at: number): Promise<void> {
  await db.updateTable('notifications').set({ notice: JSON.stringify(notice), updated_at: at }).where('id', '=', id).execute();
}

export async function cancelReminders(db: Kysely<Database>, monitorId: string, at: number): Promise<void> {
  await db.updateTable('notifications').set({ state: 'cancelled', updated_at: at }).where('monitor_id', '=', monitorId).where('state', '=', 'pending').execute();
}

export async function settleNotification(db: Kysely<Database>, id: string, settlement: NotificationSettlement): Promise<void> {
  await db
    .updateTable('notifications')
    .set({
      state: settlement.state,
      attempts: settlement.attempts,
      updated_at: settlement.at,
      ...(settlement.dueAt !== undefined ? { due_at: settlement.dueAt } : {}),
      ...(settlement.state === 'delivered' ? { delivered_at: settlement.at } : {}),
      ...(settlement.lastStatus !== undefined ? { last_status: settlement.lastStatus } : {}),
      ...(settlement.lastError !== undefined ? { last_error: settlement.lastError } : {}),
      ...(settlement.answer !== undefined ? { answer: settlement.answer } : {}),
      // Once sent, no other notice joins it.
      group_key: null,
    })
    .where('id', '=', id)
    .execute();
}

export async function dueNotifications(db: Kysely<Database>, channelId: string, now: number, limit: number): Promise<StoredNotification[]> {
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('state', '=', 'pending')
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toNotification);
}

export async function nextDueAt(db: Kysely<Database>, channelId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.min('due_at').as('next'))
    .where('channel_id', '=', channelId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return row?.next === null || row?.next === undefined ? undefined : Number(row.next);
}

export async function listNotifications(db: Kysely<Database>, query: NotificationQuery): Promise<StoredNotification[]> {
  let select = db.selectFrom('notifications').selectAll();
  if (query.channelId) select = select.where('channel_id', '=', query.channelId);
  if (query.state) select = select.where('state', '=', query.state);
  if (query.before) {
    const cursor = await db.selectFrom('notifications').select(['created_at', 'id']).where('id', '=', query.before).executeTakeFirst();
    if (cursor) {
      select = select.where((eb) => eb.or([eb('created_at', '<', cursor.created_at), eb.and([eb('created_at', '=', cursor.created_at), eb('id', '<', cursor.id)])]));
    }
  }
  const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(toNotification);
}

export async function getNotification(db: Kysely<Database>, id: string): Promise<StoredNotification | undefined> {
  const row = await db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toNotification(row);
}

/** Deletes settled notifications last changed before `before`; pending ones are kept whatever their age. */
export async function pruneNotifications(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db.deleteFrom('notifications').where('state', '!=', 'pending').where('updated_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function toNotification(row: Selectable<NotificationsTable>): StoredNotification {
  return {
    id: row.id,
    channelId: row.channel_id,
    dedup: row.dedup,
    notice: JSON.parse(row.notice) as Notice,
    ...(row.group_key !== null ? { groupKey: row.group_key } : {}),
    ...(row.monitor_id !== null ? { monitorId: row.monitor_id } : {}),
    state: row.state as StoredNotification['state'],
    attempts: Number(row.attempts),
    createdAt: Number(row.created_at),
    dueAt: Number(row.due_at),
    updatedAt: Number(row.updated_at),
    ...(row.delivered_at !== null ? { deliveredAt: Number(row.delivered_at) } : {}),
    ...(row.last_status !== null ? { lastStatus: Number(row.last_status) } : {}),
    ...(row.last_error !== null ? { lastError: row.last_error } : {}),
    ...(row.answer !== null ? { answer: row.answer } : {}),
    ...(row.remind_every_ms !== null ? { remindEveryMs: Number(row.remind_every_ms) } : {}),
    ...(row.subscriber_id !== null ? { subscriberId: row.subscriber_id } : {}),
  };
}
