// The statements every message goes through keep their index lookups once Postgres plans them
// generically (a prepared statement run more than five times may switch to such a plan): the
// store's sender lookups, the sent marks and the deliverer's due-rows poll, on tables of a few
// thousand rows, where one scan already costs more than the probes.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeStatement } from '../../../src/messaging/inbox.ts';
import { dueRows, sentMarksStatement, startedInsertsStatement } from '../../../src/messaging/outbox.ts';
import { genericPlanOf } from '../../support/generic-plan.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';

const ROWS = 2_000;

describe('generic plans on big tables', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestPostgres('generic_plans');
    await t.db.execute(sql`insert into contacts (first_name) select 'C' || g from generate_series(1, ${ROWS}) g`);
    await t.db.execute(sql`insert into contact_identities (contact_id, channel, external_id) select id, 'telegram', (7000000 + id)::text from contacts`);
    await t.db.execute(sql`
      insert into outbox_messages (idempotency_key, channel, account, chat_id, kind, method, params, status)
      select 'k' || g, 'telegram', '42', (g % 500)::text, 'text', 'sendMessage', '{}'::jsonb, 'sent' from generate_series(1, ${ROWS}) g`);
    await t.db.execute(sql`
      insert into inbound_messages (channel, account, external_id, chat_id, sender_external_id, kind, payload)
      select 'telegram', '42', 'm' || g, (g % 500)::text, (g % 500)::text, 'text', '{}'::jsonb from generate_series(1, ${ROWS}) g`);
    await t.db.execute(sql`analyze contacts, contact_identities, outbox_messages, inbound_messages`);
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('the store finds senders, and the messages it marks processed, by index, without scanning the identities, the staff or the messages', async () => {
    const item = { n: 0, tg: 7000001, phone: null, channel: 'telegram', sender_ext: '7000001', account: '42', external_id: 'u1', chat_id: '7000001', kind: 'text', text: 'hi', payload: {} };
    const plan = await genericPlanOf(t.db, storeStatement(JSON.stringify([item]), JSON.stringify([5, 6])));
    expect(plan).toContain('contact_identities_channel_external_id_key');
    expect(plan).not.toMatch(/Seq Scan on contact_identities/);
    expect(plan).not.toMatch(/Seq Scan on users/);
    // The processed marks that go with it find their messages by id.
    expect(plan).toContain('inbound_messages_pkey');
    expect(plan).not.toMatch(/Seq Scan on inbound_messages/);
  });

  it('the sent marks find their rows by primary key, not by scanning the outbox, alone or with inserts', async () => {
    const mark = { id: 7, params: { chat_id: 1, text: 'hi' }, result: { message_id: 1 }, platformMessageId: '1' };
    const insert = { idempotencyKey: 'gp:1', channel: 'telegram' as const, account: '42', chatId: '1', kind: 'text' as const, method: 'sendMessage', params: { text: 'hi' }, now: new Date() };
    for (const statement of [sentMarksStatement([mark], new Date()), startedInsertsStatement([insert], [mark], new Date())]) {
      const plan = await genericPlanOf(t.db, statement);
      expect(plan).toContain('outbox_messages_pkey');
      expect(plan).not.toMatch(/Seq Scan on outbox_messages/);
    }
  });

  it('the due-rows poll reads the queued rows by their partial index, not every row ever sent', async () => {
    const plan = await genericPlanOf(t.db, dueRows(t.db, 'telegram', '42', 50, new Date()).toSQL());
    expect(plan).toContain('outbox_messages_due_idx');
  });
});
