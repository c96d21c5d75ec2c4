// Inbound path: resolve who wrote (a staff user, or a contact created on the first message)
// and store the message once under (channel, account, external id), then let routing act. A
// replayed update finds its row: if it was processed, nothing more happens; if it was not (a
// crash, a failed run), it is handled again, by the redelivery or by the recovery sweep.
import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { groupedStatementFor } from '../../db/grouped-statement.ts';
import { rowAs, rowsOf } from '../../db/prepared.ts';
import { type Contact, contactIdentities, contacts, type InboundMessageRow, inboundMessages, type MessagingChannel, type User, users } from '../../db/schema/index.ts';
import { inboxQueries } from './inbox-queries.ts';
import { type InboundMessage, MAX_TEXT_STORED } from './message.ts';

export type Sender = { kind: 'staff'; user: User } | { kind: 'contact'; contact: Contact; identityId: number; isNew: boolean };

export type AcceptResult =
  | { state: 'new'; row: InboundMessageRow; sender: Sender }
  /** Stored before but its effects never committed (a crash, an error): handle it again. */
  | { state: 'unprocessed'; row: InboundMessageRow; sender: Sender }
  | { state: 'duplicate'; row: InboundMessageRow };

/**
 * Stores the message once, linked to who wrote it: a staff user, or a contact (created on
 * the first message). One statement, whoever wrote (see storeStatement); a replay finds its
 * row, and if that was processed, nothing more is done.
 */
export async function acceptInbound(db: Db, msg: InboundMessage, raw: unknown): Promise<AcceptResult> {
  const result = rowsOf<StoredRaw>(await db.execute(storeStatement(msg, raw)))[0]!;
  let sender = senderOf(result);
  let row = result.id === null || result.id === undefined ? null : rowAs(inboundMessages, result as unknown as Record<string, unknown>);
  if (result.new_contact && result.new_identity_id === null) {
    // Two first messages of one person at once: the identity's UNIQUE key picked the other
    // statement's contact. This one's contact goes, and its message is linked to the winner.
    const fixed = await joinWinner(db, msg, Number(result.new_contact.id), row?.id ?? null);
    sender = fixed.sender;
    if (row) row = fixed.row ?? row;
  }
  if (row) return { state: 'new', row, sender: sender! };
  const [existing] = await inboxQueries(db).byKey.execute({ channel: msg.channel, account: msg.account, externalId: msg.externalId });
  return existing!.processedAt ? { state: 'duplicate', row: existing! } : { state: 'unprocessed', row: existing!, sender: sender! };
}

/** What the store statement answers: the message row's columns (none on a replay) and who wrote it. */
type StoredRaw = Record<string, unknown> & {
  id: unknown;
  sender_user: Record<string, unknown> | null;
  known_contact: Record<string, unknown> | null;
  known_identity_id: unknown;
  new_contact: Record<string, unknown> | null;
  new_identity_id: unknown;
};

const whatsappPhoneOf = (externalId: string) => `+${externalId.replace(/\D/g, '')}`;

/**
 * Sender and message in one round trip and one commit: the active staff user with that
 * Telegram id or WhatsApp phone; else the contact behind the identity; else a new contact
 * with its identity. Then the message, under its UNIQUE key, linked to whichever it is.
 */
function storeStatement(msg: InboundMessage, raw: unknown) {
  const telegramUserId = msg.channel === 'telegram' && /^\d{1,15}$/.test(msg.sender.externalId) ? msg.sender.externalId : null;
  const phone = msg.channel === 'whatsapp' ? whatsappPhoneOf(msg.sender.externalId) : null;
  const [firstName, ...rest] = (msg.sender.name ?? '').trim().split(/\s+/);
  const contactPhone = phone ?? msg.sender.phone ?? null;
  const displayName = msg.sender.name ?? msg.sender.username ?? null;
  const text = msg.text && msg.text.length > MAX_TEXT_STORED ? msg.text.slice(0, MAX_TEXT_STORED) : msg.text;
  return sql`
    with u as (
      select * from ${users}
      where (telegram_user_id = ${telegramUserId}::bigint or whatsapp_phone = ${phone}::text) and is_active
      limit 1
    ), known as (
      select i.id as identity_id, i.contact_id from ${contactIdentities} i
      where i.channel = ${msg.channel}::channel and i.external_id = ${msg.sender.externalId}
    ), c_new as (
      insert into ${contacts} (first_name, last_name, phone)
      select ${firstName || null}::text, ${rest.join(' ') || null}::text, ${contactPhone}::text
      where not exists (select 1 from u) and not exists (select 1 from known)
      returning *
    ), i_new as (
      insert into ${contactIdentities} (contact_id, channel, external_id, display_name)
      select id, ${msg.channel}::channel, ${msg.sender.externalId}, ${displayName}::text from c_new
      on conflict (channel, external_id) do nothing
      returning id, contact_id
    ), m as (
      insert into ${inboundMessages} (channel, account, external_id, chat_id, sender_external_id, sender_name, kind, text, payload, sent_at, user_id, contact_id)
      values (
        ${msg.channel}::messaging_channel, ${msg.account}, ${msg.externalId}, ${msg.chatId}, ${msg.sender.externalId}, ${msg.sender.name ?? null}::text,
        ${msg.kind}::inbound_kind, ${text ?? null}::text, ${JSON.stringify({ message: msg, raw })}::jsonb, ${msg.sentAt?.toISOString() ?? null}::timestamptz,
        (select id from u),
        case when exists (select 1 from u) then null else coalesce((select contact_id from known), (select contact_id from i_new)) end
      )
      on conflict (channel, account, external_id) do nothing
      returning *
    )
    select m.*,
      (select row_to_json(u) from u) as sender_user,
      (select row_to_json(c) from ${contacts} c where c.id = (select contact_id from known)) as known_contact,
      (select identity_id from known) as known_identity_id,
      (select row_to_json(c_new) from c_new) as new_contact,
      (select id from i_new) as new_identity_id
    from (select 1) as one left join m on true`;
}

function senderOf(r: StoredRaw): Sender | null {
  if (r.sender_user) return { kind: 'staff', user: rowAs(users, r.sender_user) };
  if (r.known_contact) return { kind: 'contact', contact: rowAs(contacts, r.known_contact), identityId: Number(r.known_identity_id), isNew: false };
  if (r.new_contact && r.new_identity_id !== null) return { kind: 'contact', contact: rowAs(contacts, r.new_contact), identityId: Number(r.new_identity_id), isNew: true };
  return null;
}

async function joinWinner(db: Db, msg: InboundMessage, loserContactId: number, inboundId: number | null) {
  const [winner] = await inboxQueries(db).identity.execute({ channel: msg.channel, externalId: msg.sender.externalId });
  const sender: Sender = { kind: 'contact', contact: winner!.contact, identityId: winner!.identityId, isNew: false };
  const [row] = inboundId === null ? [] : await db.update(inboundMessages).set({ contactId: winner!.contact.id }).where(eq(inboundMessages.id, inboundId)).returning();
  await db.delete(contacts).where(eq(contacts.id, loserContactId));
  return { sender, row };
}


/** The update's effects are done. Concurrent marks share one statement (see groupedStatement). */
export async function markInboundProcessed(db: Db, inboundId: number): Promise<void> {
  await processedMarks(db)(inboundId);
}

/** The same inside a transaction that carries the update's effects (one statement of its own). */
export async function markInboundProcessedIn(tx: Db, inboundId: number): Promise<void> {
  await inboxQueries(tx).markProcessed.execute({ ids: JSON.stringify([inboundId]) });
}

const processedMarks = groupedStatementFor((db: Db) => async (ids: number[]) => {
  await inboxQueries(db).markProcessed.execute({ ids: JSON.stringify(ids) });
  return ids.map(() => undefined);
});

/**
 * The run failed (the error boundary caught it): the message stays stored, and the recovery
 * sweep runs it again after a backoff that doubles with every failure.
 */
export async function markInboundFailed(db: Db, inboundId: number, error: string, now = new Date()): Promise<void> {
  await db
    .update(inboundMessages)
    .set({
      attempts: sql`${inboundMessages.attempts} + 1`,
      lastError: error.slice(0, 2000),
      retryAt: sql`${now.toISOString()}::timestamptz + (interval '1 minute' * power(2, least(${inboundMessages.attempts}, 10)))`,
    })
    .where(eq(inboundMessages.id, inboundId));
}

/**
 * Stored but not processed (acknowledged, then the process died; or the run failed), older
 * than `olderThan`: leased for `leaseMs` to whoever runs the sweep, so two processes never
 * take the same message at once.
 */
export async function leaseUnprocessedInbound(
  db: Db,
  opts: { channel: MessagingChannel; account: string; olderThan: Date; leaseMs: number; maxAttempts: number; limit: number; now?: Date },
): Promise<InboundMessageRow[]> {
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: inboundMessages.id })
      .from(inboundMessages)
      .where(
        and(
          isNull(inboundMessages.processedAt),
          eq(inboundMessages.channel, opts.channel),
          eq(inboundMessages.account, opts.account),
          lt(inboundMessages.receivedAt, opts.olderThan),
          lt(inboundMessages.attempts, opts.maxAttempts),
          or(isNull(inboundMessages.retryAt), lte(inboundMessages.retryAt, now)),
        ),
      )
      .orderBy(inboundMessages.id)
      .limit(opts.limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    const rows = await tx
      .update(inboundMessages)
      .set({ retryAt: new Date(now.getTime() + opts.leaseMs) })
      .where(inArray(inboundMessages.id, due.map((d) => d.id)))
      .returning();
    return rows.sort((a, b) => a.id - b.id);
  });
}

export async function isInboundProcessed(db: Db, inboundId: number): Promise<boolean> {
  const [row] = await inboxQueries(db).processedAt.execute({ id: inboundId });
  return Boolean(row?.processedAt);
}
