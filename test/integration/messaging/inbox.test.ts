// acceptInbound on the real Postgres and on PGlite: stored once, linked to its sender (a staff
// user, a known contact, or a contact created on the first message, as a full row), a
// contact's message on his card, a replay found, and two first messages of one person racing
// make one contact.
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../../db/client.ts';
import { contactIdentities, contacts, inboundMessages, timelineEntries, users } from '../../../db/schema/index.ts';
import { acceptInbound, markInboundProcessed } from '../../../src/messaging/inbox.ts';
import { markIdentityReachable, markIdentityUnreachable } from '../../../src/messaging/identity-reach.ts';
import type { InboundMessage } from '../../../src/messaging/message.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';
import { describeOnEachDb } from '../../support/each-db.ts';

let ext = 1;
const message = (senderId: string, over: Partial<InboundMessage> = {}): InboundMessage => ({
  channel: 'telegram',
  account: '42',
  externalId: String(ext++),
  chatId: senderId,
  isGroup: false,
  sender: { externalId: senderId, name: 'Пётр Иванович Сидоров' },
  kind: 'text',
  text: 'Здравствуйте',
  sentAt: new Date('2026-11-30T10:00:00Z'),
  ...over,
});

describeOnEachDb('acceptInbound', 'inbox', (t) => {
  it('a first message makes a contact (a full row) with its identity, stored and linked', async () => {
    const r = await acceptInbound(t.db, message('9001'), { update_id: 1 });
    expect(r.state).toBe('new');
    if (r.state === 'duplicate' || r.sender.kind !== 'contact') throw new Error('expected a new contact');
    expect(r.sender.isNew).toBe(true);
    const c = r.sender.contact;
    expect(c).toMatchObject({ firstName: 'Пётр', lastName: 'Иванович Сидоров', phone: null, observerIds: [], tags: [], custom: {}, companyId: null });
    expect(typeof c.id).toBe('number');
    expect(c.createdAt).toBeInstanceOf(Date);
    expect(r.row.contactId).toBe(c.id);
    expect(r.row.payload).toMatchObject({ raw: { update_id: 1 }, message: { text: 'Здравствуйте' } });
    // The row handed back is the stored row, column for column (its payload the one given).
    const [stored] = await t.db.select().from(inboundMessages).where(eq(inboundMessages.id, r.row.id));
    expect({ ...r.row, payload: null }).toEqual({ ...stored!, payload: null });
    expect(JSON.parse(JSON.stringify(r.row.payload))).toEqual(stored!.payload);
    const [identity] = await t.db.select().from(contactIdentities).where(eq(contactIdentities.externalId, '9001'));
    expect(identity).toMatchObject({ contactId: c.id, channel: 'telegram', displayName: 'Пётр Иванович Сидоров' });
  });

  it('the next message of that person finds the contact; a replay finds the row', async () => {
    const first = await acceptInbound(t.db, message('9001'), {});
    if (first.state === 'duplicate' || first.sender.kind !== 'contact') throw new Error('expected a contact');
    expect(first.sender.isNew).toBe(false);
    const again = await acceptInbound(t.db, { ...message('9001'), externalId: first.row.externalId }, {});
    expect(again.state).toBe('unprocessed');
    await markInboundProcessed(t.db, first.row.id);
    const third = await acceptInbound(t.db, { ...message('9001'), externalId: first.row.externalId }, {});
    expect(third.state).toBe('duplicate');
    expect(await t.db.select().from(inboundMessages).where(eq(inboundMessages.externalId, first.row.externalId))).toHaveLength(1);
  });

  it('processed marks made while messages are stored go in the same statement, and both hold', async () => {
    const done = await acceptInbound(t.db, message('9700'), {});
    const [, ...arrived] = await Promise.all([markInboundProcessed(t.db, done.row.id), ...['9701', '9702'].map((id) => acceptInbound(t.db, message(id), {}))]);
    expect(arrived.map((r) => r.state)).toEqual(['new', 'new']);
    const rows = await t.db.select().from(inboundMessages).where(inArray(inboundMessages.id, [done.row.id, ...arrived.map((r) => r.row.id)]));
    expect(rows.map((r) => [r.senderExternalId, r.processedAt !== null]).sort()).toEqual([
      ['9700', true],
      ['9701', false],
      ['9702', false],
    ]);
    expect((await acceptInbound(t.db, { ...message('9700'), externalId: done.row.externalId }, {})).state).toBe('duplicate');
  });

  it('a linked staff member is staff, not a contact', async () => {
    const [u] = await t.db.insert(users).values({ name: 'Анна', roles: ['manager'], telegramUserId: 9100 }).returning();
    const r = await acceptInbound(t.db, message('9100'), {});
    if (r.state === 'duplicate') throw new Error('expected new');
    expect(r.sender).toMatchObject({ kind: 'staff', user: { id: u!.id } });
    expect(r.row.userId).toBe(u!.id);
    expect(await t.db.select().from(contactIdentities).where(eq(contactIdentities.externalId, '9100'))).toHaveLength(0);
  });

  it('first messages of one person at once make one contact', async () => {
    // Several people, each with 8 first messages at once (on Postgres some statements lose the race).
    for (const person of ['9200', '9201', '9202']) {
      const results = await Promise.all(Array.from({ length: 8 }, () => acceptInbound(t.db, message(person), {})));
      const ids = new Set(results.map((r) => (r.state !== 'duplicate' && r.sender.kind === 'contact' ? r.sender.contact.id : 0)));
      expect(ids.size).toBe(1);
      // Every message is linked to the contact that stayed, the losers' too.
      expect(results.map((r) => r.row.contactId)).toEqual(results.map(() => [...ids][0]));
      const identities = await t.db.select().from(contactIdentities).where(eq(contactIdentities.externalId, person));
      expect(identities).toHaveLength(1);
      // Each message once on the card of the contact that stayed, the losers' too.
      const cards = (await t.db.select().from(timelineEntries)).filter((e) => results.some((r) => (e.data as { inboundId?: number }).inboundId === r.row.id));
      expect(cards.map((e) => e.entityId)).toEqual(results.map(() => [...ids][0]));
    }
    // The losers' contacts are gone: nothing without an identity is left behind.
    const named = await t.db.select().from(contacts).where(eq(contacts.firstName, 'Пётр'));
    const withIdentity = new Set((await t.db.select().from(contactIdentities)).map((i) => i.contactId));
    expect(named.every((c) => withIdentity.has(c.id))).toBe(true);
  });

  it('one update delivered several times at once is stored once: one caller handles it, the others find it', async () => {
    const update = message('9300');
    const results = await Promise.all(Array.from({ length: 5 }, () => acceptInbound(t.db, update, {})));
    expect(results.map((r) => r.state).sort()).toEqual(['new', 'unprocessed', 'unprocessed', 'unprocessed', 'unprocessed']);
    expect(new Set(results.map((r) => r.row.id)).size).toBe(1);
    expect(await t.db.select().from(inboundMessages).where(eq(inboundMessages.externalId, update.externalId))).toHaveLength(1);
  });

  it('messages of staff, known and new people stored at once are each linked to their own sender', async () => {
    const [u] = await t.db.insert(users).values({ name: 'Борис', roles: ['manager'], telegramUserId: 9400 }).returning();
    await acceptInbound(t.db, message('9401'), {});
    const [staff, known, fresh] = await Promise.all(['9400', '9401', '9402'].map((id) => acceptInbound(t.db, message(id), {})));
    if (staff!.state === 'duplicate' || known!.state === 'duplicate' || fresh!.state === 'duplicate') throw new Error('expected new');
    expect(staff!.sender).toMatchObject({ kind: 'staff', user: { id: u!.id } });
    expect(staff!.row.contactId).toBeNull();
    expect(known!.sender).toMatchObject({ kind: 'contact', isNew: false });
    expect(fresh!.sender).toMatchObject({ kind: 'contact', isNew: true });
    const ids = [known!.row.contactId, fresh!.row.contactId];
    expect(ids).toEqual([known!.sender.kind === 'contact' ? known!.sender.contact.id : 0, fresh!.sender.kind === 'contact' ? fresh!.sender.contact.id : 0]);
    expect(new Set(ids).size).toBe(2);
  });

  it("a contact's message is on his card once, with the message; staff, group and button messages are not", async () => {
    const entriesOf = async (inboundId: number) =>
      (await t.db.select().from(timelineEntries)).filter((e) => (e.data as { inboundId?: number }).inboundId === inboundId);
    const file = { fileId: 'F1', name: 'price.pdf', size: 10, mime: 'application/pdf' };
    const r = await acceptInbound(t.db, message('9600', { kind: 'document', text: 'прайс', file }), {});
    if (r.state !== 'new' || r.sender.kind !== 'contact') throw new Error('expected a new contact');
    const entries = await entriesOf(r.row.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ entityType: 'contact', entityId: r.sender.contact.id, kind: 'file', body: 'прайс', authorId: null });
    expect(entries[0]!.data).toEqual({ direction: 'in', channel: 'telegram', kind: 'document', inboundId: r.row.id, file });
    // A replay, stored and handled again, adds nothing.
    expect((await acceptInbound(t.db, { ...message('9600'), externalId: r.row.externalId }, {})).state).toBe('unprocessed');
    expect(await entriesOf(r.row.id)).toHaveLength(1);

    await t.db.insert(users).values({ name: 'Вера', roles: ['manager'], telegramUserId: 9601 });
    const staff = await acceptInbound(t.db, message('9601'), {});
    const group = await acceptInbound(t.db, message('9602', { chatId: '-100500', isGroup: true }), {});
    const press = await acceptInbound(t.db, message('9600', { kind: 'button', text: undefined, button: { data: 'l:1:take' } }), {});
    for (const other of [staff, group, press]) {
      expect(other.state).toBe('new');
      expect(await entriesOf(other.row.id)).toHaveLength(0);
    }
  });

  it('a WhatsApp sender gets the phone number on the contact', async () => {
    const r = await acceptInbound(t.db, message('79161234567', { channel: 'whatsapp', sender: { externalId: '79161234567', name: 'Ольга' } }), {});
    if (r.state === 'duplicate' || r.sender.kind !== 'contact') throw new Error('expected a contact');
    expect(r.sender.contact).toMatchObject({ firstName: 'Ольга', lastName: null, phone: '+79161234567' });
  });
  it('a message from someone marked unreachable clears the mark, unless the mark is newer than the message', async () => {
    const first = await acceptInbound(t.db, message('9701'), {});
    if (first.state === 'duplicate' || first.sender.kind !== 'contact') throw new Error('expected a contact');
    const identity = () => t.db.select().from(contactIdentities).where(eq(contactIdentities.id, (first.sender as { identityId: number }).identityId)).then((r) => r[0]!);
    // A send refused at 10:05: a message sent at 10:04 (seen late) leaves the mark...
    await markIdentityUnreachable(t.db, 'telegram', '9701', 'Forbidden: bot was blocked by the user', new Date('2026-11-30T10:05:00.400Z'));
    await acceptInbound(t.db, message('9701', { sentAt: new Date('2026-11-30T10:04:00Z') }), {});
    expect(await identity()).toMatchObject({ unreachableReason: 'Forbidden: bot was blocked by the user' });
    // ...one sent in that second (platform times are whole seconds) or later clears it.
    await acceptInbound(t.db, message('9701', { sentAt: new Date('2026-11-30T10:05:00Z') }), {});
    expect(await identity()).toMatchObject({ unreachableAt: null, unreachableReason: null });
  });

  it('marking reachable answers whether a mark was cleared, and never clears a newer one', async () => {
    await acceptInbound(t.db, message('9702'), {});
    const at = new Date('2026-11-30T12:00:00Z');
    expect(await markIdentityReachable(t.db, 'telegram', '9702', at)).toBe(false);
    await markIdentityUnreachable(t.db, 'telegram', '9702', 'blocked the bot', at);
    expect(await markIdentityReachable(t.db, 'telegram', '9702', new Date(at.getTime() - 1))).toBe(false);
    expect(await markIdentityReachable(t.db, 'whatsapp', '9702', at)).toBe(false);
    expect(await markIdentityReachable(t.db, 'telegram', '9702', at)).toBe(true);
    const [row] = await t.db.select().from(contactIdentities).where(eq(contactIdentities.externalId, '9702'));
    expect(row).toMatchObject({ unreachableAt: null, unreachableReason: null });
  });
});

describe('acceptInbound from two processes at once (two handles on one Postgres database)', () => {
  let t: TestDb;
  let other: DbHandle;
  beforeAll(async () => {
    t = await createTestPostgres('inbox_two');
    other = await createDb({ DATABASE_URL: t.url, DATA_DIR: '' });
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await t?.drop();
  });

  it('first messages of one person through both make one contact, every message linked to it', async () => {
    for (const person of ['9500', '9501', '9502', '9503', '9504']) {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => acceptInbound(i % 2 ? other.db : t.db, message(person), {})));
      const ids = new Set(results.map((r) => (r.state !== 'duplicate' && r.sender.kind === 'contact' ? r.sender.contact.id : 0)));
      expect(ids.size).toBe(1);
      expect(results.map((r) => r.row.contactId)).toEqual(results.map(() => [...ids][0]));
      expect(await t.db.select().from(contactIdentities).where(eq(contactIdentities.externalId, person))).toHaveLength(1);
    }
    const withIdentity = new Set((await t.db.select().from(contactIdentities)).map((i) => i.contactId));
    expect((await t.db.select().from(contacts)).every((c) => withIdentity.has(c.id))).toBe(true);
  });
});
