// The outbox: a message is a row before it is a send. The idempotency key (derived from what
// caused it) makes a second enqueue of the same message a no-op; the deliverer claims rows
// with SKIP LOCKED so several deliverers never take the same one.
import { and, asc, eq, getTableColumns, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { groupedStatementFor } from '../../db/grouped-statement.ts';
import { noFlushWait } from '../../db/no-flush-wait.ts';
import { preparedFor, rowAs, rowsOf } from '../../db/prepared.ts';
import { type MessagingChannel, type NewOutboxMessage, type OutboxMessageRow, outboxMessages } from '../../db/schema/index.ts';

export type OutboxItem = Pick<NewOutboxMessage, 'idempotencyKey' | 'channel' | 'account' | 'chatId' | 'kind' | 'method' | 'params'> &
  Partial<Pick<NewOutboxMessage, 'contactIdentityId' | 'inboundMessageId' | 'nextAttemptAt' | 'threadId' | 'authorId'>>;

/** Inserts the message once; a second call with the same key returns the row already there. */
export async function enqueueOutbox(db: Db, item: OutboxItem | NewOutboxMessage): Promise<{ row: OutboxMessageRow; created: boolean }> {
  const [row] = await db.insert(outboxMessages).values(item).onConflictDoNothing({ target: outboxMessages.idempotencyKey }).returning();
  if (row) return { row, created: true };
  const [existing] = await db.select().from(outboxMessages).where(eq(outboxMessages.idempotencyKey, item.idempotencyKey));
  return { row: existing!, created: false };
}

/**
 * Inserts the message claimed and started, for a sender that calls the platform right away
 * (its slot already taken); a key already there returns that row instead, untouched.
 */
export async function enqueueStarted(db: Db, item: OutboxItem, now = new Date()): Promise<{ row: OutboxMessageRow; created: boolean }> {
  const row = await outboxWrites(db)({ insert: { ...item, now } });
  if (row) return { row, created: true };
  const [existing] = await outboxQueries(db).byKey.execute({ key: item.idempotencyKey });
  return { row: existing!, created: false };
}

/**
 * What the senders write, in one statement for all the calls made at once: replies to insert
 * (claimed and started) and sends done (their sent marks). Under load the marks of the replies
 * just sent go with the replies just made, one round trip and one commit for both; marks with
 * nothing to go with go alone, without waiting for the flush (see sentMarksStatement). Each
 * insert gets its row, or null when its key was there already; each mark its row as recorded.
 */
type OutboxWrite = { insert: OutboxItem & { now: Date } } | { sent: SentMark };

const outboxWrites = groupedStatementFor((db: Db) => async (writes: OutboxWrite[]): Promise<(OutboxMessageRow | null)[]> => {
  const inserts = writes.flatMap((w) => ('insert' in w ? [w.insert] : []));
  const marks = writes.flatMap((w) => ('sent' in w ? [w.sent] : []));
  const now = new Date();
  const raw = rowsOf<Record<string, unknown> & { write: string }>(
    await db.execute(inserts.length === 0 ? sentMarksStatement(marks, now) : startedInsertsStatement(inserts, marks, now)),
  );
  const marked = new Map<number, OutboxMessageRow>();
  const inserted = new Map<string, OutboxMessageRow>();
  for (const r of raw) {
    const row = rowAs(outboxMessages, r);
    if (r.write === 'insert') inserted.set(row.idempotencyKey, row);
    else marked.set(row.id, row);
  }
  // The JSON columns do not come back (see writtenColumns): they are what the callers gave.
  for (const i of inserts) {
    const row = inserted.get(i.idempotencyKey);
    if (row) row.params = i.params;
  }
  for (const m of marks) {
    const row = marked.get(m.id);
    if (row) Object.assign(row, { params: m.params, result: m.result });
  }
  // One key twice in a statement: the first caller has the row, the second finds it taken.
  const taken = new Set<string>();
  return writes.map((w) => {
    if ('sent' in w) return marked.get(w.sent.id)!;
    const key = w.insert.idempotencyKey;
    if (taken.has(key)) return null;
    taken.add(key);
    return inserted.get(key) ?? null;
  });
});

/** The inserts over their JSON rows, and the sent marks that go with them (committed with the inserts, so waiting for the flush). */
export function startedInsertsStatement(inserts: (OutboxItem & { now: Date })[], marks: SentMark[], now: Date): SQL {
  const rows = inserts.map((i) => ({
    idempotency_key: i.idempotencyKey,
    channel: i.channel,
    account: i.account,
    chat_id: i.chatId,
    kind: i.kind,
    method: i.method,
    params: i.params,
    contact_identity_id: i.contactIdentityId ?? null,
    inbound_message_id: i.inboundMessageId ?? null,
    now: i.now.toISOString(),
  }));
  return sql`
    with marked as (${sentMarksUpdate(marks, now, sql``)}),
    ins as (
      insert into ${outboxMessages} (idempotency_key, channel, account, chat_id, kind, method, params, contact_identity_id, inbound_message_id, status, attempts, sending_since)
      select v.idempotency_key, v.channel::messaging_channel, v.account, v.chat_id, v.kind::outbound_kind, v.method, v.params, v.contact_identity_id, v.inbound_message_id, 'sending', 1, v.now
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as v(idempotency_key text, channel text, account text, chat_id text, kind text, method text, params jsonb, contact_identity_id bigint, inbound_message_id bigint, now timestamptz)
      on conflict (idempotency_key) do nothing
      returning ${writtenColumns}
    )
    select 'sent' as write, * from marked
    union all
    select 'insert' as write, * from ins`;
}

// Prepared once per database: every reply of every update goes through these.
const outboxQueries = preparedFor((db) => ({
  byKey: db.select().from(outboxMessages).where(eq(outboxMessages.idempotencyKey, sql.placeholder('key'))).prepare('outbox_by_key'),
}));

/**
 * The due rows of one account, oldest first, locked. The status is written into the statement,
 * not passed: the partial index (status = 'queued') then serves the generic plan a prepared
 * statement falls back to, where a parameter would leave it walking every row ever sent.
 */
export function dueRows(db: Db, channel: MessagingChannel, account: string, limit: number, now: Date) {
  return db
    .select({ id: outboxMessages.id })
    .from(outboxMessages)
    .where(and(eq(outboxMessages.channel, channel), eq(outboxMessages.account, account), sql`${outboxMessages.status} = 'queued'`, lte(outboxMessages.nextAttemptAt, now)))
    .orderBy(asc(outboxMessages.id))
    .limit(limit)
    .for('update', { skipLocked: true });
}

/** Takes due queued rows of one account, oldest first, and marks them in flight. */
export async function claimDue(db: Db, channel: MessagingChannel, account: string, limit: number, now: Date): Promise<OutboxMessageRow[]> {
  return db.transaction(async (tx) => {
    const due = await dueRows(tx, channel, account, limit, now);
    if (due.length === 0) return [];
    return tx
      .update(outboxMessages)
      .set({ status: 'sending', sendingSince: null, attempts: sql`${outboxMessages.attempts} + 1` })
      .where(inArray(
        outboxMessages.id,
        due.map((d) => d.id),
      ))
      .returning()
      .then((rows) => rows.sort((a, b) => a.id - b.id));
  });
}

/** Claims one specific row (a reply sent while handling an update); null when someone else has it. */
export async function claimOne(db: Db, id: number, now: Date): Promise<OutboxMessageRow | null> {
  const [row] = await db
    .update(outboxMessages)
    .set({ status: 'sending', sendingSince: null, attempts: sql`${outboxMessages.attempts} + 1` })
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.status, 'queued')))
    .returning();
  return row ?? null;
}

/** Written just before the platform call: from here on a crash may leave it sent or not. */
export async function markSendStarted(db: Db, id: number, at: Date): Promise<void> {
  await db.update(outboxMessages).set({ sendingSince: at }).where(eq(outboxMessages.id, id));
}

/**
 * Marks made at once share one statement, with the replies inserted then (see outboxWrites).
 * Answers the row as recorded.
 */
export async function markSent(db: Db, row: Pick<OutboxMessageRow, 'id' | 'params'>, result: unknown, platformMessageId: string | null): Promise<OutboxMessageRow> {
  return (await outboxWrites(db)({ sent: { id: row.id, params: row.params, result: result ?? null, platformMessageId } }))!;
}

/** A send done: the platform's answer and message id, and the row's params (the answered row carries them). */
type SentMark = { id: number; params: OutboxMessageRow['params']; result: unknown; platformMessageId: string | null };

/**
 * What the writes answer of a row: every column but the JSON ones. Those are what the caller
 * gave (the params of a reply, the platform's answer of a send), and decoding them again was
 * most of what reading the answer cost.
 */
const writtenColumnNames = Object.values(getTableColumns(outboxMessages))
  .filter((c) => c.name !== outboxMessages.params.name && c.name !== outboxMessages.result.name)
  .map((c) => `"${c.name}"`);
const writtenColumns = sql.raw(writtenColumnNames.join(', '));
const writtenColumnsOfO = sql.raw(writtenColumnNames.map((c) => `o.${c}`).join(', '));

/**
 * The marks alone. The rows are found by their ids (an index probe each), then joined to their
 * marks: a join alone, planned for the hundred rows Postgres assumes of a JSON set, hashes them
 * against a scan of the whole outbox. Committed without waiting for the flush (see
 * noFlushWait): a mark lost in a crash leaves the row in flight, and it is recovered as
 * possibly duplicated.
 */
export function sentMarksStatement(items: SentMark[], now: Date): SQL {
  return sql`${sentMarksUpdate(items, now, sql`, ${noFlushWait}`)} `;
}

function sentMarksUpdate(items: SentMark[], now: Date, moreFrom: SQL): SQL {
  const at = now.toISOString();
  const marks = JSON.stringify(items.map((i) => ({ id: i.id, result: i.result, pmid: i.platformMessageId })));
  return sql`
    update ${outboxMessages} as o
    set status = 'sent', result = v.result, platform_message_id = v.pmid, sent_at = ${at}::timestamptz, status_at = ${at}::timestamptz, error = null
    from jsonb_to_recordset(${marks}::jsonb) as v(id bigint, result jsonb, pmid text)${moreFrom}
    where o.id = any(array(select (m->>'id')::bigint from jsonb_array_elements(${marks}::jsonb) m)) and o.id = v.id
    returning ${writtenColumnsOfO}`;
}

export async function markRetry(db: Db, id: number, error: string, nextAttemptAt: Date): Promise<void> {
  await db.update(outboxMessages).set({ status: 'queued', error, nextAttemptAt, sendingSince: null }).where(eq(outboxMessages.id, id));
}

export async function markFailed(db: Db, id: number, error: string): Promise<OutboxMessageRow> {
  const [row] = await db
    .update(outboxMessages)
    .set({ status: 'failed', error, statusAt: new Date() })
    .where(eq(outboxMessages.id, id))
    .returning();
  return row!;
}

/**
 * After a crash, rows left 'sending' go back to the queue. Those whose platform call had
 * started may or may not have reached the platform (Telegram has no idempotency key): they
 * are sent again and marked as possibly duplicated. Claimed rows whose call never started
 * are plain re-queues.
 */
export async function recoverInFlight(db: Db, channel: MessagingChannel, account: string): Promise<{ requeued: number; possiblyDuplicated: number }> {
  const rows = await db
    .update(outboxMessages)
    .set({ status: 'queued', possiblyDuplicated: sql`${outboxMessages.possiblyDuplicated} or ${outboxMessages.sendingSince} is not null`, sendingSince: null })
    .where(and(eq(outboxMessages.channel, channel), eq(outboxMessages.account, account), eq(outboxMessages.status, 'sending')))
    .returning({ id: outboxMessages.id, possiblyDuplicated: outboxMessages.possiblyDuplicated });
  return { requeued: rows.length, possiblyDuplicated: rows.filter((r) => r.possiblyDuplicated).length };
}

/** Delivery receipts (WhatsApp): sent → delivered → read, never backwards; answers the rows it moved. */
export async function recordDeliveryStatus(db: Db, channel: MessagingChannel, platformMessageId: string, status: 'delivered' | 'read' | 'failed', error?: string): Promise<OutboxMessageRow[]> {
  const order = status === 'read' ? ['sent', 'delivered'] : status === 'delivered' ? ['sent'] : ['sent', 'delivered', 'queued', 'sending'];
  return db
    .update(outboxMessages)
    .set({ status, statusAt: new Date(), ...(error ? { error } : {}) })
    .where(and(eq(outboxMessages.channel, channel), eq(outboxMessages.platformMessageId, platformMessageId), inArray(outboxMessages.status, order as never)))
    .returning();
}

export async function getOutboxRow(db: Db, id: number): Promise<OutboxMessageRow | undefined> {
  const [row] = await db.select().from(outboxMessages).where(eq(outboxMessages.id, id));
  return row;
}
