// A staff member's message that the inbox stored as a customer's: it makes a contact for every
// sender it does not know as active staff, so the `/start <code>` that links a new staff
// member, and any message of someone deactivated, arrive as a new contact's. Here the message
// becomes the user's and that contact goes, unless it holds anything else (another message, a
// lead, a deal, a task, a note, a responsible or a company given to it).
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { groupedStatementFor } from '../../db/grouped-statement.ts';
import { rowAs, rowsOf } from '../../db/prepared.ts';
import { contacts, inboundMessages, type MessagingChannel, timelineEntries, type User, users } from '../../db/schema/index.ts';

export interface MessageOfStaff {
  inboundId: number;
  /** The contact the inbox linked the message to. */
  contactId: number;
}

/** Inside the caller's transaction; true when the contact was removed. */
export async function takeMessageFromContact(tx: Db, userId: number, m: MessageOfStaff): Promise<{ contactRemoved: boolean }> {
  // Locked first: a lead being opened for this contact meanwhile waits, then is seen below.
  const [contact] = await tx.select().from(contacts).where(eq(contacts.id, m.contactId)).for('update');
  await tx.update(inboundMessages).set({ userId, contactId: null }).where(eq(inboundMessages.id, m.inboundId));
  if (!contact) return { contactRemoved: false };
  await tx
    .delete(timelineEntries)
    .where(and(eq(timelineEntries.entityType, 'contact'), eq(timelineEntries.entityId, m.contactId), sql`${timelineEntries.data} ->> 'inboundId' = ${String(m.inboundId)}`));
  if (contact.responsibleId !== null || contact.companyId !== null) return { contactRemoved: false };
  const [held] = rowsOf<{ held: boolean }>(
    await tx.execute(sql`
      select exists (select 1 from inbound_messages where contact_id = ${m.contactId})
        or exists (select 1 from leads where contact_id = ${m.contactId})
        or exists (select 1 from deals where contact_id = ${m.contactId})
        or exists (select 1 from tasks where entity_type = 'contact' and entity_id = ${m.contactId})
        or exists (select 1 from timeline_entries where entity_type = 'contact' and entity_id = ${m.contactId}) as held`),
  );
  if (held?.held) return { contactRemoved: false };
  // Its identities and open-line threads go with it (ON DELETE CASCADE).
  await tx.delete(contacts).where(eq(contacts.id, m.contactId));
  return { contactRemoved: true };
}

/**
 * A deactivated user who writes from this Telegram id or WhatsApp number; null for anyone else.
 * Asked of every first message of a new contact: lookups made at once share one statement.
 */
export async function formerStaffAt(db: Db, channel: MessagingChannel, senderExternalId: string): Promise<User | null> {
  if (channel === 'telegram') return /^\d{1,15}$/.test(senderExternalId) ? formerStaffLookups(db)({ tg: senderExternalId, phone: null }) : null;
  const digits = senderExternalId.replace(/\D/g, '');
  return digits ? formerStaffLookups(db)({ tg: null, phone: `+${digits}` }) : null;
}

const formerStaffLookups = groupedStatementFor((db: Db) => async (items: { tg: string | null; phone: string | null }[]) => {
  const tgs = JSON.stringify(items.flatMap((i) => (i.tg ? [i.tg] : [])));
  const phones = JSON.stringify(items.flatMap((i) => (i.phone ? [i.phone] : [])));
  const found = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select * from ${users}
      where not is_active and (
        telegram_user_id = any(array(select value::bigint from jsonb_array_elements_text(${tgs}::jsonb)))
        or whatsapp_phone = any(array(select value from jsonb_array_elements_text(${phones}::jsonb))))`),
  ).map((raw) => rowAs(users, raw));
  return items.map((i) => found.find((u) => (i.tg !== null && String(u.telegramUserId) === i.tg) || (i.phone !== null && u.whatsappPhone === i.phone)) ?? null);
});

/** His message is his again, and the contact the inbox made for it is gone (one transaction). */
export async function settleFormerStaffMessage(db: Db, user: User, m: MessageOfStaff): Promise<{ contactRemoved: boolean }> {
  return db.transaction((tx) => takeMessageFromContact(tx, user.id, m));
}
