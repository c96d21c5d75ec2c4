// Which statements of the inbound path commit without waiting for the WAL flush: the progress
// marks (processed, sent, the message on the card) do; the store behind the webhook's 200 and
// the outbox row written before a platform call do not. Each runs inside a transaction here,
// where synchronous_commit then shows what its commit would do; the setting is the
// transaction's own.
import { type SQL, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '../../../db/client.ts';
import { rowsOf } from '../../../db/prepared.ts';
import { inboundEntriesStatement } from '../../../src/crm/timeline.ts';
import { processedMarksStatement, storeStatement } from '../../../src/messaging/inbox.ts';
import { sentMarksStatement } from '../../../src/messaging/outbox.ts';
import { describeOnEachDb } from '../../support/each-db.ts';

const syncCommitAfter = (db: Db, statement: SQL) =>
  db.transaction(async (tx) => {
    await tx.execute(statement);
    return rowsOf<{ synchronous_commit: string }>(await tx.execute(sql`show synchronous_commit`))[0]!.synchronous_commit;
  });

describeOnEachDb('commit flush waits', 'no_flush_wait', (t) => {
  it('the processed and sent marks and the card entries commit without the flush wait', async () => {
    expect(await syncCommitAfter(t.db, processedMarksStatement([1, 2]))).toBe('off');
    expect(await syncCommitAfter(t.db, sentMarksStatement([{ id: 1, params: { chat_id: 1, text: 'hi' }, result: { message_id: 5 }, platformMessageId: '5' }], new Date()))).toBe('off');
    const entry = { entityType: 'contact' as const, entityId: 1, kind: 'message' as const, authorId: null, body: 'hi', data: { inboundId: 1 } };
    expect(await syncCommitAfter(t.db, inboundEntriesStatement([entry]))).toBe('off');
  });

  it('the store behind the webhook answer waits for the flush, and the setting ends with its transaction', async () => {
    const item = { n: 0, tg: 5551, phone: null, channel: 'telegram', sender_ext: '5551', account: '42', external_id: 'f1', chat_id: '5551', kind: 'text', text: 'hi', payload: {} };
    expect(await syncCommitAfter(t.db, storeStatement(JSON.stringify([item])))).toBe('on');
    await syncCommitAfter(t.db, processedMarksStatement([1]));
    expect(rowsOf<{ synchronous_commit: string }>(await t.db.execute(sql`show synchronous_commit`))[0]!.synchronous_commit).toBe('on');
  });
});
