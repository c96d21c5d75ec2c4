// Whether a contact can be written to on a channel. A platform that refuses to deliver (the
// customer blocked the bot, has no WhatsApp, let the 24-hour window close) marks the identity
// unreachable with its reason; the customer writing again, or unblocking the bot, clears it.
// Each mark carries the time of what it comes from, so an older event seen late does not
// undo a newer one.
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { contactIdentities, type MessagingChannel } from '../../db/schema/index.ts';

export async function markIdentityUnreachable(db: Db, channel: MessagingChannel, externalId: string, reason: string, at = new Date()): Promise<void> {
  await db
    .update(contactIdentities)
    .set({ unreachableAt: at, unreachableReason: reason })
    .where(and(eq(contactIdentities.channel, channel), eq(contactIdentities.externalId, externalId)));
}

/** The person can be written to again (he wrote, or unblocked the bot) as of `at`; true when the identity was marked unreachable before that. */
export async function markIdentityReachable(db: Db, channel: MessagingChannel, externalId: string, at = new Date()): Promise<boolean> {
  const cleared = await db
    .update(contactIdentities)
    .set({ unreachableAt: null, unreachableReason: null })
    .where(and(eq(contactIdentities.channel, channel), eq(contactIdentities.externalId, externalId), isNotNull(contactIdentities.unreachableAt), lte(contactIdentities.unreachableAt, at)))
    .returning({ id: contactIdentities.id });
  return cleared.length > 0;
}
