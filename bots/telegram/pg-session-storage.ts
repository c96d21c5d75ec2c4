// grammY StorageAdapter on Postgres: sessions and conversation state survive restarts and are
// shared by every bot process. A write made while an inbound update is handled also marks that
// update processed, in the same transaction: once a flow has taken an answer, a re-run of the
// update (after a crash) must not feed the same answer to the flow a second time.
import { eq, sql } from 'drizzle-orm';
import type { StorageAdapter } from 'grammy';
import type { Db } from '../../db/client.ts';
import { groupedStatementFor } from '../../db/grouped-statement.ts';
import { rowAs, rowsOf } from '../../db/prepared.ts';
import { botSessions } from '../../db/schema/index.ts';
import { markInboundProcessedIn } from '../../src/messaging/inbox.ts';
import { updateScope } from './update-context.ts';

export function pgSessionStorage<T>(db: Db, namespace: string): StorageAdapter<T> {
  const k = (key: string) => `${namespace}:${key}`;
  const withUpdateMarked = async (change: (tx: Db) => Promise<void>) => {
    const scope = updateScope.getStore();
    if (!scope) return change(db);
    await db.transaction(async (tx) => {
      await change(tx);
      await markInboundProcessedIn(tx, scope.inboundId);
    });
  };
  return {
    async read(key) {
      return (await sessionReads(db)(k(key))) as T | undefined;
    },
    async write(key, value) {
      await withUpdateMarked(async (tx) => {
        await tx
          .insert(botSessions)
          .values({ key: k(key), value: value as never })
          .onConflictDoUpdate({ target: botSessions.key, set: { value: value as never, updatedAt: sql`now()` } });
      });
    },
    async delete(key) {
      await withUpdateMarked(async (tx) => {
        await tx.delete(botSessions).where(eq(botSessions.key, k(key)));
      });
    },
  };
}

/** Every update of a chat reads its state: reads made at once share one statement (see groupedStatement). */
const sessionReads = groupedStatementFor((db: Db) => async (keys: string[]) => {
  const found = await db.execute(sql`select * from ${botSessions} where key = any(array(select jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb)))`);
  const byKey = new Map(rowsOf<Record<string, unknown>>(found).map((raw) => [String(raw.key), rowAs(botSessions, raw).value]));
  return keys.map((key) => byKey.get(key));
});
