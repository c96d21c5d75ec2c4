// Inbound path: resolve who wrote (a staff user, or a contact created on the first message)
// and store the message once under (channel, account, external id), a contact's message on
// his card in the same statement, then let routing act. A
// replayed update finds its row: if it was processed, nothing more happens; if it was not (a
// crash, a failed run), it is handled again, by the redelivery or by the recovery sweep.
import { and, eq, getTableColumns, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { groupedStatementFor } from '../../db/grouped-statement.ts';
import { noFlushWait } from '../../db/no-flush-wait.ts';
import { rowAs, rowsOf } from '../../db/prepared.ts';
import { type Contact, contactIdentities, contacts, type InboundMessageRow, inboundMessages, type MessagingChannel, timelineEntries, type User, users } from '../../db/schema/index.ts';
import { markIdentityReachable } from './identity-reach.ts';
import { inboxQueries } from './inbox-queries.ts';
import { type InboundMessage, MAX_TEXT_STORED } from './message.ts';
import { cardEntryOf, recordCustomerMessage } from './record-inbound.ts';

export type Sender = { kind: 'staff'; user: User } | { kind: 'contact'; contact: Contact; identityId: number; isNew: boolean };

export type AcceptResult =
  | { state: 'new'; row: InboundMessageRow; sender: Sender }
  /** Stored before but its effects never committed (a crash, an error): handle it again. */
  | { state: 'unprocessed'; row: InboundMessageRow; sender: Sender }
  | { state: 'duplicate'; row: InboundMessageRow };

/**
 * Stores the message once, linked to who wrote it: a staff user, or a contact (created on
 * the first message), and a contact's message on his card (nothing a customer sends is lost
 * from it). One statement for the sender, the message and the entry, shared by the messages
 * stored at once (see storeMessages); a replay finds its row, and if that was processed,
 * nothing more is done.
 */
export async function acceptInbound(db: Db, msg: InboundMessage, raw: unknown): Promise<AcceptResult> {
  const item = storeItem(msg, raw);
  const result = await storeMessages(db)(item);
  let sender = senderOf(result);
  let row: InboundMessageRow | null = result.id === null || result.id === undefined ? null : { ...rowAs(inboundMessages, result as unknown as Record<string, unknown>), payload: item.payload };
  if (result.new_contact && result.new_identity_id === null) {
    // Two first messages of one person in two statements at once: the identity's UNIQUE key
    // picked the other statement's contact. This one's contact goes, its message is relinked.
    const fixed = await joinWinner(db, msg, Number(result.new_contact.id), row?.id ?? null);
    sender = fixed.sender;
    if (row) row = fixed.row ?? row;
    if (row && sender.kind === 'contact') await recordCustomerMessage(db, sender.contact.id, msg, row.id);
  }
  // He wrote: he can be written to again. Platform times are whole seconds, so the mark of a
  // send refused within the second of his message is not taken for a newer one.
  if (result.known_unreachable) await markIdentityReachable(db, msg.channel, msg.sender.externalId, msg.sentAt ? new Date(msg.sentAt.getTime() + 999) : new Date());
  if (row) return { state: 'new', row, sender: sender! };
  const [existing] = await inboxQueries(db).byKey.execute({ channel: msg.channel, account: msg.account, externalId: msg.externalId });
  if (existing!.processedAt) return { state: 'duplicate', row: existing! };
  // Stored before its entry went with it (an older version), or by the race above: once per card.
  if (sender?.kind === 'contact') await recordCustomerMessage(db, sender.contact.id, msg, existing!.id);
  return { state: 'unprocessed', row: existing!, sender: sender! };
}

/** What the store statement answers per message: its row's columns (none on a replay) and who wrote it. */
type StoredRaw = Record<string, unknown> & {
  id: unknown;
  sender_user: Record<string, unknown> | null;
  known_contact: Record<string, unknown> | null;
  known_identity_id: unknown;
  /** The identity was marked unreachable (see identity-reach.ts). */
  known_unreachable: boolean | null;
  new_contact: Record<string, unknown> | null;
  new_identity_id: unknown;
};

const whatsappPhoneOf = (externalId: string) => `+${externalId.replace(/\D/g, '')}`;

/** One message as the store statement takes it (a row of its JSON parameter). */
function storeItem(msg: InboundMessage, raw: unknown) {
  const [firstName, ...rest] = (msg.sender.name ?? '').trim().split(/\s+/);
  const phone = msg.channel === 'whatsapp' ? whatsappPhoneOf(msg.sender.externalId) : null;
  const text = msg.text && msg.text.length > MAX_TEXT_STORED ? msg.text.slice(0, MAX_TEXT_STORED) : msg.text;
  const card = cardEntryOf(msg);
  return {
    tg: msg.channel === 'telegram' && /^\d{1,15}$/.test(msg.sender.externalId) ? msg.sender.externalId : null,
    phone,
    channel: msg.channel,
    sender_ext: msg.sender.externalId,
    first_name: firstName || null,
    last_name: rest.join(' ') || null,
    contact_phone: phone ?? msg.sender.phone ?? null,
    display_name: msg.sender.name ?? msg.sender.username ?? null,
    account: msg.account,
    external_id: msg.externalId,
    chat_id: msg.chatId,
    sender_name: msg.sender.name ?? null,
    kind: msg.kind,
    text: text ?? null,
    payload: { message: msg, raw },
    sent_at: msg.sentAt?.toISOString() ?? null,
    card_kind: card?.kind ?? null,
    card_data: card?.data ?? null,
  };
}

/**
 * What the inbox writes, in one statement for all the calls made at once: messages to store
 * and updates done (their processed marks). Under load the marks of the updates just handled
 * go with the messages just arrived, one round trip and one commit for both; marks with no
 * message to go with go alone, without waiting for the flush (see processedMarksStatement).
 */
type InboxWrite = { store: ReturnType<typeof storeItem> } | { processed: number };

const inboxWrites = groupedStatementFor((db: Db) => async (writes: InboxWrite[]): Promise<(StoredRaw | undefined)[]> => {
  const stores = writes.flatMap((w) => ('store' in w ? [w.store] : []));
  const marks = writes.flatMap((w) => ('processed' in w ? [w.processed] : []));
  if (stores.length === 0) {
    await db.execute(processedMarksStatement(marks));
    return writes.map(() => undefined);
  }
  const stored = rowsOf<StoredRaw>(await db.execute(storeStatement(JSON.stringify(stores.map((item, n) => ({ n, ...item }))), JSON.stringify(marks))));
  let next = 0;
  return writes.map((w) => ('store' in w ? stored[next++] : undefined));
});

/**
 * Senders and messages in one round trip and one commit, for every message stored at once:
 * the active staff user with that Telegram id or WhatsApp phone; else the contact behind the
 * identity; else a new contact with its identity (one per person, however many of his
 * messages the statement carries). Then each message, under its UNIQUE key, linked to
 * whichever it is, and a contact's on his card (see cardEntryOf). A key twice in one
 * statement: the first item stores it, the other finds it.
 */
const storeMessages = (db: Db) => async (item: ReturnType<typeof storeItem>) => (await inboxWrites(db)({ store: item }))!;

/**
 * The store statement over its JSON rows, and the processed marks (a JSON array of ids) that go
 * with it. The sender lookups are LATERAL ... LIMIT 1: one index probe per message, where a
 * plain join planned for the hundred rows Postgres assumes of a JSON set would hash the whole
 * identities table on every store.
 */
export function storeStatement(input: string, processed = '[]'): SQL {
  return sql`
    with marked as (
      update ${inboundMessages} set processed_at = now(), last_error = null
      where ${inboundMessages.id} = any(array(select value::bigint from jsonb_array_elements_text(${processed}::jsonb)))
    ), v as (
      select * from jsonb_to_recordset(${input}::jsonb) as v(
        n int, tg bigint, phone text, channel text, sender_ext text, first_name text, last_name text, contact_phone text, display_name text,
        account text, external_id text, chat_id text, sender_name text, kind text, text text, payload jsonb, sent_at timestamptz,
        card_kind text, card_data jsonb)
    ), u as (
      select v.n, s.id as user_id, row_to_json(s) as user_json
      from v cross join lateral (
        select * from ${users} s where (s.telegram_user_id = v.tg or s.whatsapp_phone = v.phone) and s.is_active order by s.id limit 1
      ) s
    ), known as (
      select v.n, i.id as identity_id, i.contact_id, i.unreachable_at
      from v cross join lateral (
        select i.id, i.contact_id, i.unreachable_at from ${contactIdentities} i where i.channel = v.channel::channel and i.external_id = v.sender_ext limit 1
      ) i
    ), fresh as (
      select distinct on (v.channel, v.sender_ext) v.channel, v.sender_ext, v.first_name, v.last_name, v.contact_phone, v.display_name,
        nextval(pg_get_serial_sequence('contacts', 'id')) as contact_id
      from v
      where not exists (select 1 from u where u.n = v.n) and not exists (select 1 from known k where k.n = v.n)
      order by v.channel, v.sender_ext, v.n
    ), c_new as (
      insert into ${contacts} (id, first_name, last_name, phone) overriding system value
      select contact_id, first_name, last_name, contact_phone from fresh
      returning *
    ), i_new as (
      insert into ${contactIdentities} (contact_id, channel, external_id, display_name)
      select contact_id, channel::channel, sender_ext, display_name from fresh
      on conflict (channel, external_id) do nothing
      returning id, contact_id
    ), owner as (
      select distinct on (v.channel, v.account, v.external_id) v.n from v order by v.channel, v.account, v.external_id, v.n
    ), m as (
      insert into ${inboundMessages} (channel, account, external_id, chat_id, sender_external_id, sender_name, kind, text, payload, sent_at, user_id, contact_id)
      select v.channel::messaging_channel, v.account, v.external_id, v.chat_id, v.sender_ext, v.sender_name, v.kind::inbound_kind, v.text, v.payload, v.sent_at,
        u.user_id,
        case when u.user_id is not null then null else coalesce(k.contact_id, i.contact_id) end
      from v
        join owner o on o.n = v.n
        left join u on u.n = v.n
        left join known k on k.n = v.n
        left join fresh f on f.channel = v.channel and f.sender_ext = v.sender_ext
        left join i_new i on i.contact_id = f.contact_id
      on conflict (channel, account, external_id) do nothing
      returning *
    ), card as (
      insert into ${timelineEntries} (entity_type, entity_id, kind, body, data)
      select 'contact', m.contact_id, v.card_kind::timeline_kind, m.text, v.card_data || jsonb_build_object('inboundId', m.id)
      from m join v on m.channel = v.channel::messaging_channel and m.account = v.account and m.external_id = v.external_id
        join owner o on o.n = v.n
      where v.card_kind is not null and m.contact_id is not null
      on conflict do nothing
    )
    select ${storedColumns}, v.n as item_n,
      u.user_json as sender_user,
      (select row_to_json(c) from ${contacts} c where c.id = k.contact_id) as known_contact,
      k.identity_id as known_identity_id,
      k.unreachable_at is not null as known_unreachable,
      (select row_to_json(c) from c_new c where c.id = f.contact_id) as new_contact,
      i.id as new_identity_id
    from v
      left join owner o on o.n = v.n
      left join m on o.n is not null and m.channel = v.channel::messaging_channel and m.account = v.account and m.external_id = v.external_id
      left join u on u.n = v.n
      left join known k on k.n = v.n
      left join fresh f on f.channel = v.channel and f.sender_ext = v.sender_ext
      left join i_new i on i.contact_id = f.contact_id
    order by v.n`;
}

/**
 * Every column of a stored message but its payload: the caller holds that already, and reading
 * the JSON back was most of what decoding the statement's answer cost.
 */
const storedColumns = sql.raw(
  Object.values(getTableColumns(inboundMessages))
    .filter((c) => c.name !== inboundMessages.payload.name)
    .map((c) => `m."${c.name}"`)
    .join(', '),
);

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


/** The update's effects are done. Marks made at once share one statement, with the messages stored then (see inboxWrites). */
export async function markInboundProcessed(db: Db, inboundId: number): Promise<void> {
  await inboxWrites(db)({ processed: inboundId });
}

/**
 * The same inside a transaction that carries the update's effects (one statement of its own,
 * with the transaction's flush wait). A plain statement: the prepared set of inboxQueries is
 * built once per handle, and every transaction is a handle of its own.
 */
export async function markInboundProcessedIn(tx: Db, inboundId: number): Promise<void> {
  await tx.execute(sql`update ${inboundMessages} set processed_at = now(), last_error = null where ${inboundMessages.id} = ${inboundId}`);
}

/**
 * Committed without waiting for the flush (see noFlushWait): a mark lost in a crash leaves the
 * update unprocessed, and it is run again. (Inside a transaction, markInboundProcessedIn.)
 */
export function processedMarksStatement(ids: number[]): SQL {
  return sql`
    update ${inboundMessages} set processed_at = now(), last_error = null
    from ${noFlushWait}
    where ${inboundMessages.id} = any(array(select value::bigint from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)))`;
}

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
