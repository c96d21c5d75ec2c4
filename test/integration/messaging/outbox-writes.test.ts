// Replies inserted and sends marked at once share one statement: both hold, each caller gets
// its own row, and a key given twice in one statement is inserted once (on Postgres and PGlite).
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import { outboxMessages } from '../../../db/schema/index.ts';
import { enqueueStarted, markSent, type OutboxItem } from '../../../src/messaging/outbox.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

const reply = (key: string, chatId = '100'): OutboxItem => ({ idempotencyKey: key, channel: 'telegram', account: '42', chatId, kind: 'text', method: 'sendMessage', params: { chat_id: chatId, text: key } });

for (const kind of ['postgres', 'pglite'] as DbKind[]) {
  describe(`outbox writes on ${kind}`, () => {
    let t: TestDb;
    beforeAll(async () => {
      t = await createTestDb(kind, 'outbox_writes');
    }, 60_000);
    afterAll(async () => {
      await t?.drop();
    });

    it('sent marks made while replies are inserted go in the same statement, and both hold', async () => {
      const first = await enqueueStarted(t.db, reply('w:1'));
      expect(first).toMatchObject({ created: true, row: { status: 'sending', attempts: 1 } });
      const [sent, second, again, third] = await Promise.all([
        markSent(t.db, first.row.id, { message_id: 55 }, '55'),
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
    });
  });
}
