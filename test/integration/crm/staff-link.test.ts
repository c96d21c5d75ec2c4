// A staff member's own message, stored by the inbox as a new customer's: his /start <code>
// (he is not known as staff until it is redeemed) and any message after he was deactivated.
// The message becomes his and the contact made for it goes, in the transaction that links him;
// a contact that holds anything else (an earlier conversation as a customer) stays.
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { contactIdentities, contacts, inboundMessages, leads, timelineEntries, users } from '../../../db/schema/index.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { createStaffInvite, InvalidInviteError, redeemTelegramInvite } from '../../../src/crm/invites.ts';
import { formerStaffAt, settleFormerStaffMessage } from '../../../src/crm/staff-message-owner.ts';
import { deactivateUser } from '../../../src/crm/staff-lifecycle.ts';
import { acceptInbound } from '../../../src/messaging/inbox.ts';
import type { InboundMessage } from '../../../src/messaging/message.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import { describeOnEachDb } from '../../support/each-db.ts';

let ext = 1;
const message = (senderId: string, text: string): InboundMessage => ({
  channel: 'telegram',
  account: '42',
  externalId: String(ext++),
  chatId: senderId,
  isGroup: false,
  sender: { externalId: senderId, name: 'Анна Петрова' },
  kind: 'text',
  text,
  sentAt: new Date(),
});

async function asNewContact(db: Parameters<typeof acceptInbound>[0], msg: InboundMessage) {
  const r = await acceptInbound(db, msg, { update_id: msg.externalId });
  if (r.state === 'duplicate' || r.sender.kind !== 'contact') throw new Error('expected a contact sender');
  return { inboundId: r.row.id, contactId: r.sender.contact.id, isNew: r.sender.isNew };
}

describeOnEachDb('a staff member\'s own message', 'staff_link', (t) => {
  it('/start <code> links his Telegram and leaves no customer contact: the message is his', async () => {
    const { user } = await makeUser(t.db, ['manager']);
    const { code } = await createStaffInvite(t.db, systemActor, user.id);
    const m = await asNewContact(t.db, message('7100001', `/start ${code}`));
    expect(m.isNew).toBe(true);
    const linked = await redeemTelegramInvite(t.db, code, 7_100_001, new Date(), m);
    expect(linked.telegramUserId).toBe(7_100_001);
    expect(await t.db.select().from(contacts).where(eq(contacts.id, m.contactId))).toEqual([]);
    expect(await t.db.select().from(contactIdentities).where(eq(contactIdentities.externalId, '7100001'))).toEqual([]);
    expect(await t.db.select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'contact'), eq(timelineEntries.entityId, m.contactId)))).toEqual([]);
    const [row] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.id, m.inboundId));
    expect(row).toMatchObject({ userId: user.id, contactId: null });
    // His next message is a staff member's.
    const next = await acceptInbound(t.db, message('7100001', '/help'), {});
    expect(next.state !== 'duplicate' && next.sender.kind).toBe('staff');
  });

  it('a wrong code links nothing and keeps the contact (it may be a customer typing)', async () => {
    const m = await asNewContact(t.db, message('7100002', '/start nonsense'));
    await expect(redeemTelegramInvite(t.db, 'nonsense', 7_100_002, new Date(), m)).rejects.toBeInstanceOf(InvalidInviteError);
    expect(await t.db.select().from(contacts).where(eq(contacts.id, m.contactId))).toHaveLength(1);
  });

  it('someone who wrote as a customer before keeps that contact; only the /start message leaves it', async () => {
    const { user } = await makeUser(t.db, ['manager']);
    const earlier = await asNewContact(t.db, message('7100003', 'Здравствуйте, сколько стоит трактор?'));
    await t.db.insert(leads).values({ title: 'Трактор', source: 'telegram', status: 'new', contactId: earlier.contactId });
    const { code } = await createStaffInvite(t.db, systemActor, user.id);
    const m = await asNewContact(t.db, message('7100003', `/start ${code}`));
    expect(m).toMatchObject({ contactId: earlier.contactId, isNew: false });
    await redeemTelegramInvite(t.db, code, 7_100_003, new Date(), m);
    expect(await t.db.select().from(contacts).where(eq(contacts.id, earlier.contactId))).toHaveLength(1);
    const onCard = await t.db.select().from(timelineEntries).where(and(eq(timelineEntries.entityType, 'contact'), eq(timelineEntries.entityId, earlier.contactId)));
    expect(onCard.map((e) => e.body)).toEqual(['Здравствуйте, сколько стоит трактор?']);
    const [row] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.id, m.inboundId));
    expect(row).toMatchObject({ userId: user.id, contactId: null });
  });

  it('a deactivated user\'s message is recognised as his and leaves no contact behind', async () => {
    const { user } = await makeUser(t.db, ['manager'], { telegramUserId: 7_100_004 });
    await deactivateUser(t.db, systemActor, user.id);
    const m = await asNewContact(t.db, message('7100004', 'Привет, я снова тут'));
    expect(m.isNew).toBe(true);
    const former = await formerStaffAt(t.db, 'telegram', '7100004');
    expect(former?.id).toBe(user.id);
    expect(await formerStaffAt(t.db, 'telegram', '7100005')).toBeNull();
    expect(await settleFormerStaffMessage(t.db, former!, m)).toEqual({ contactRemoved: true });
    expect(await t.db.select().from(contacts).where(eq(contacts.id, m.contactId))).toEqual([]);
    const [row] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.id, m.inboundId));
    expect(row).toMatchObject({ userId: user.id, contactId: null });
    // By his WhatsApp number too.
    await t.db.update(users).set({ whatsappPhone: '+79005550404' }).where(eq(users.id, user.id));
    expect((await formerStaffAt(t.db, 'whatsapp', '79005550404'))?.id).toBe(user.id);
  });
});
