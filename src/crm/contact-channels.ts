// The channels a contact writes from (his Telegram account, his WhatsApp number), and whether
// he can be written to on each: what a manager checks before promising to "send it in the chat".
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type ContactIdentity, contactIdentities } from '../../db/schema/index.ts';
import type { Actor } from './actor.ts';
import { getContact } from './contacts.ts';

/** The contact's identities, oldest first; the same access as the contact itself. */
export async function listContactChannels(db: Db, actor: Actor, contactId: number): Promise<ContactIdentity[]> {
  await getContact(db, actor, contactId);
  return db.select().from(contactIdentities).where(eq(contactIdentities.contactId, contactId)).orderBy(asc(contactIdentities.id));
}
