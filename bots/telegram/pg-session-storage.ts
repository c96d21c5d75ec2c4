// grammY StorageAdapter on Postgres: sessions and conversation state survive restarts and are
// shared by every bot process. A write made while an inbound update is handled also marks that
// update processed, in the same transaction: once a flow has taken an answer, a re-run of the
// update (after a crash) must not feed the same answer to the flow a second time.
import { eq, sql } from 'drizzle-orm';
import type { StorageAdapter } from 'grammy';
import type { Db } from '../../db/client.ts';
import { botSessions } from '../../db/schema/index.ts';
import { markInboundProcessed } from '../../src/messaging/inbox.ts';
import { updateScope } from './update-context.ts';

export function pgSessionStorage<T>(db: Db, namespace: string): StorageAdapter<T> {
  const k = (key: string) => `${namespace}:${key}`;
  const withUpdateMarked = async (change: (tx: Db) => Promise<void>) => {
    const scope = updateScope.getStore();
    if (!scope) return change(db);
    await db.transaction(async (tx) => {
      await change(tx);
      await markInboundProcessed(tx, scope.inboundId);
    });
  };
  return {
    async read(key) {
      const [row] = await db.select({ value: botSessions.value }).from(botSessions).where(eq(botSessions.key, k(key)));
      return row ? (row.value as T) : undefined;
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
