// Replies inserted and sends marked at once share one statement: both hold, each caller gets
// its own row, and a key given twice in one statement is inserted once (on Postgres and PGlite).
import { inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { outboxMessages } from '../../../db/schema/index.ts';
import { enqueueStarted, markSent, type OutboxItem } from '../../../src/messaging/outbox.ts';
import { describeOnEachDb } from '../../support/each-db.ts';

const reply = (key: string, chatId = '100'): OutboxItem => ({ idempotencyKey: key, channel: 'telegram', account: '42', chatId, kind: 'text', method: 'sendMessage', params: { chat_id: chatId, text: key } });

describeOnEachDb('outbox writes', 'outbox_writes', (t) => {
  it('sent marks made while replies are inserted go in the same statement, and both hold', async () => {
    const first = await enqueueStarted(t.db, reply('w:1'));
    expect(first).toMatchObject({ created: true, row: { status: 'sending', attempts: 1 } });
    const [sent, second, again, third] = await Promise.all([
      markSent(t.db, first.row, { message_id: 55 }, '55'),
      enqueueStarted(t.db, reply('w:2', '200')),
      enqueueStarted(t.db, reply('w:2', '200')),
      enqueueStarted(t.db, reply('w:3', '300')),
    ]);
    expect(sent).toMatchObject({ id: first.row.id, status: 'sent', platformMessageId: '55', result: { message_id: 55 } });
    expect(second).toMatchObject({ created: true, row: { idempotencyKey: 'w:2', chatId: '200', status: 'sending' } });
    // The same key twice at once: inserted once, the second caller finds that row.
    expect(again).toMatchObject({ created: false, row: { id: second.row.id } });
    expect(third).toMatchObject({ created: true, row: { idempotencyKey: 'w:3' } });
    const rows = await t.db.select().from(outboxMessages).where(inArray(outboxMessages.idempotencyKey, ['w:1', 'w:2', 'w:3']));
    expect(rows.map((r) => [r.idempotencyKey, r.status]).sort()).toEqual([
      ['w:1', 'sent'],
      ['w:2', 'sending'],
      ['w:3', 'sending'],
    ]);
    // The rows answered are the rows as stored, JSON columns included (they are filled in from what was given).
    const stored = new Map(rows.map((r) => [r.idempotencyKey, r]));
    expect(sent).toEqual(stored.get('w:1'));
    expect(second.row).toEqual(stored.get('w:2'));
    expect(third.row).toEqual(stored.get('w:3'));
  });

  it('a mark sent alone answers the row as stored', async () => {
    const { row } = await enqueueStarted(t.db, reply('w:alone', '400'));
    const sent = await markSent(t.db, row, { message_id: 77, chat: { id: 400 } }, '77');
    const [stored] = await t.db.select().from(outboxMessages).where(inArray(outboxMessages.idempotencyKey, ['w:alone']));
    expect(sent).toEqual(stored);
    expect(sent).toMatchObject({ status: 'sent', params: { chat_id: '400', text: 'w:alone' }, result: { message_id: 77, chat: { id: 400 } } });
  });
});
