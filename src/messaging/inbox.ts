// Inbound path: store once under (channel, account, external id), then resolve who wrote —
// a staff user, or a contact (created on the first message) — and let routing act. A
// replayed update finds its row: if it was processed, nothing more happens.
import { and, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type Contact, contactIdentities, contacts, type InboundMessageRow, inboundMessages, type User, users } from '../../db/schema/index.ts';
import { type InboundMessage, MAX_TEXT_STORED } from './message.ts';

export type StoreResult =
  | { state: 'new'; row: InboundMessageRow }
  /** Stored before but its effects never committed (a crash, an error): handle it again. */
  | { state: 'unprocessed'; row: InboundMessageRow }
  | { state: 'duplicate'; row: InboundMessageRow };

export async function storeInbound(db: Db, msg: InboundMessage, raw: unknown): Promise<StoreResult> {
  const text = msg.text && msg.text.length > MAX_TEXT_STORED ? msg.text.slice(0, MAX_TEXT_STORED) : msg.text;
  const [row] = await db
    .insert(inboundMessages)
    .values({
      channel: msg.channel,
      account: msg.account,
      externalId: msg.externalId,
      chatId: msg.chatId,
      senderExternalId: msg.sender.externalId,
      senderName: msg.sender.name ?? null,
      kind: msg.kind,
      text: text ?? null,
      payload: { message: msg, raw } as Record<string, unknown>,
      sentAt: msg.sentAt,
    })
    .onConflictDoNothing({ target: [inboundMessages.channel, inboundMessages.account, inboundMessages.externalId] })
    .returning();
  if (row) return { state: 'new', row };
  const [existing] = await db
    .select()
    .from(inboundMessages)
    .where(and(eq(inboundMessages.channel, msg.channel), eq(inboundMessages.account, msg.account), eq(inboundMessages.externalId, msg.externalId)));
  return { state: existing!.processedAt ? 'duplicate' : 'unprocessed', row: existing! };
}

export type Sender = { kind: 'staff'; user: User } | { kind: 'contact'; contact: Contact; identityId: number; isNew: boolean };

/** Staff are known by their linked messenger id; everyone else becomes (or is) a contact. */
export async function resolveSender(db: Db, msg: InboundMessage): Promise<Sender> {
  const staffCond =
    msg.channel === 'telegram' && /^\d+$/.test(msg.sender.externalId)
      ? eq(users.telegramUserId, Number(msg.sender.externalId))
      : msg.channel === 'whatsapp'
        ? eq(users.whatsappPhone, `+${msg.sender.externalId.replace(/\D/g, '')}`)
        : undefined;
  if (staffCond) {
    const [user] = await db.select().from(users).where(and(staffCond, eq(users.isActive, true)));
    if (user) return { kind: 'staff', user };
  }
  return db.transaction(async (tx): Promise<Sender> => {
    const [known] = await tx
      .select({ contact: contacts, identityId: contactIdentities.id })
      .from(contactIdentities)
      .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
      .where(and(eq(contactIdentities.channel, msg.channel), eq(contactIdentities.externalId, msg.sender.externalId)));
    if (known) return { kind: 'contact', contact: known.contact, identityId: known.identityId, isNew: false };
    const [firstName, ...rest] = (msg.sender.name ?? '').trim().split(/\s+/);
    const phone = msg.channel === 'whatsapp' ? `+${msg.sender.externalId.replace(/\D/g, '')}` : (msg.sender.phone ?? null);
    const [contact] = await tx
      .insert(contacts)
      .values({ firstName: firstName || null, lastName: rest.join(' ') || null, phone })
      .returning();
    // Two first messages racing: the identity's UNIQUE key picks one contact; the loser's
    // insert does nothing and its transaction rolls back below.
    const [identity] = await tx
      .insert(contactIdentities)
      .values({ contactId: contact!.id, channel: msg.channel, externalId: msg.sender.externalId, displayName: msg.sender.name ?? msg.sender.username ?? null })
      .onConflictDoNothing({ target: [contactIdentities.channel, contactIdentities.externalId] })
      .returning();
    if (!identity) {
      tx.rollback();
    }
    return { kind: 'contact', contact: contact!, identityId: identity!.id, isNew: true };
  }).catch(async (err: unknown): Promise<Sender> => {
    if (!(err instanceof Error) || err.name !== 'TransactionRollbackError') throw err;
    const [known] = await db
      .select({ contact: contacts, identityId: contactIdentities.id })
      .from(contactIdentities)
      .innerJoin(contacts, eq(contacts.id, contactIdentities.contactId))
      .where(and(eq(contactIdentities.channel, msg.channel), eq(contactIdentities.externalId, msg.sender.externalId)));
    return { kind: 'contact', contact: known!.contact, identityId: known!.identityId, isNew: false };
  });
}

export async function linkInboundSender(db: Db, inboundId: number, sender: Sender): Promise<void> {
  await db
    .update(inboundMessages)
    .set(sender.kind === 'staff' ? { userId: sender.user.id } : { contactId: sender.contact.id })
    .where(eq(inboundMessages.id, inboundId));
}

export async function markInboundProcessed(db: Db, inboundId: number): Promise<void> {
  await db.update(inboundMessages).set({ processedAt: new Date(), lastError: null }).where(eq(inboundMessages.id, inboundId));
}

export async function markInboundFailed(db: Db, inboundId: number, error: string): Promise<void> {
  await db
    .update(inboundMessages)
    .set({ attempts: sql`${inboundMessages.attempts} + 1`, lastError: error.slice(0, 2000) })
    .where(eq(inboundMessages.id, inboundId));
}

/** Stored but never processed, older than `olderThan`: what a recovery sweep hands back to routing. */
export function unprocessedInbound(db: Db, olderThan: Date, maxAttempts = 5, limit = 100) {
  return db
    .select()
    .from(inboundMessages)
    .where(and(isNull(inboundMessages.processedAt), lt(inboundMessages.receivedAt, olderThan), lt(inboundMessages.attempts, maxAttempts)))
    .orderBy(inboundMessages.id)
    .limit(limit);
}
