// Inbound path: resolve who wrote (a staff user, or a contact created on the first message)
// and store the message once under (channel, account, external id), then let routing act. A
// replayed update finds its row: if it was processed, nothing more happens; if it was not (a
// crash, a failed run), it is handled again, by the redelivery or by the recovery sweep.
import { and, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowAs, rowsOf } from '../../db/prepared.ts';
import { type Contact, contactIdentities, contacts, type InboundMessageRow, inboundMessages, type MessagingChannel, type User } from '../../db/schema/index.ts';
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
 * the first message). Two round trips for a known sender, one more for a new one. A replayed
 * message finds its row; if that was processed, nothing more is done.
 */
export async function acceptInbound(db: Db, msg: InboundMessage, raw: unknown): Promise<AcceptResult> {
  const sender = await resolveSender(db, msg);
  const text = msg.text && msg.text.length > MAX_TEXT_STORED ? msg.text.slice(0, MAX_TEXT_STORED) : msg.text;
  const q = inboxQueries(db);
  const [row] = await q.insert.execute({
    channel: msg.channel,
    account: msg.account,
    externalId: msg.externalId,
    chatId: msg.chatId,
    senderExternalId: msg.sender.externalId,
    senderName: msg.sender.name ?? null,
    kind: msg.kind,
    text: text ?? null,
    payload: { message: msg, raw },
    sentAt: msg.sentAt,
    userId: sender.kind === 'staff' ? sender.user.id : null,
    contactId: sender.kind === 'contact' ? sender.contact.id : null,
  });
  if (row) return { state: 'new', row, sender };
  const [existing] = await q.byKey.execute({ channel: msg.channel, account: msg.account, externalId: msg.externalId });
  return existing!.processedAt ? { state: 'duplicate', row: existing! } : { state: 'unprocessed', row: existing!, sender };
}

const whatsappPhoneOf = (externalId: string) => `+${externalId.replace(/\D/g, '')}`;

const knownIdentity = (db: Db, msg: InboundMessage) => inboxQueries(db).identity.execute({ channel: msg.channel, externalId: msg.sender.externalId }).then((r) => r[0]);

/** Staff are known by their linked messenger id; everyone else becomes (or is) a contact. */
export async function resolveSender(db: Db, msg: InboundMessage): Promise<Sender> {
  const telegramUserId = msg.channel === 'telegram' && /^\d{1,15}$/.test(msg.sender.externalId) ? Number(msg.sender.externalId) : null;
  const phone = msg.channel === 'whatsapp' ? whatsappPhoneOf(msg.sender.externalId) : null;
  const [found] = await inboxQueries(db).sender.execute({ telegramUserId, phone, channel: msg.channel, externalId: msg.sender.externalId });
  if (found?.user) return { kind: 'staff', user: found.user };
  if (found?.contact && found.identityId !== null) return { kind: 'contact', contact: found.contact, identityId: found.identityId, isNew: false };
  const [firstName, ...rest] = (msg.sender.name ?? '').trim().split(/\s+/);
  const contactPhone = phone ?? msg.sender.phone ?? null;
  const displayName = msg.sender.name ?? msg.sender.username ?? null;
  // Contact and identity in one statement. Two first messages racing: the identity's UNIQUE
  // key picks one contact; the loser's contact is removed and the winner's taken.
  const created = await db.execute(sql`
    with c as (
      insert into ${contacts} (first_name, last_name, phone) values (${firstName || null}, ${rest.join(' ') || null}, ${contactPhone}) returning *
    ), i as (
      insert into ${contactIdentities} (contact_id, channel, external_id, display_name)
      select id, ${msg.channel}::channel, ${msg.sender.externalId}, ${displayName} from c
      on conflict (channel, external_id) do nothing
      returning id
    )
    select c.*, i.id as identity_id from c left join i on true`);
  const raw = rowsOf<Record<string, unknown>>(created)[0]!;
  const contact = rowAs(contacts, raw);
  if (raw.identity_id === null) {
    await db.delete(contacts).where(eq(contacts.id, contact.id));
    const winner = await knownIdentity(db, msg);
    return { kind: 'contact', contact: winner!.contact, identityId: winner!.identityId, isNew: false };
  }
  return { kind: 'contact', contact, identityId: Number(raw.identity_id), isNew: true };
}


export async function markInboundProcessed(db: Db, inboundId: number): Promise<void> {
  await inboxQueries(db).markProcessed.execute({ id: inboundId });
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
