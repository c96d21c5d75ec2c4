// grammY StorageAdapter on Postgres: sessions and conversation state survive restarts and are
// shared by every bot process.
import { eq, sql } from 'drizzle-orm';
import type { StorageAdapter } from 'grammy';
import type { Db } from '../../db/client.ts';
import { botSessions } from '../../db/schema/index.ts';

export function pgSessionStorage<T>(db: Db, namespace: string): StorageAdapter<T> {
  const k = (key: string) => `${namespace}:${key}`;
  return {
    async read(key) {
      const [row] = await db.select({ value: botSessions.value }).from(botSessions).where(eq(botSessions.key, k(key)));
      return row ? (row.value as T) : undefined;
    },
    async write(key, value) {
      await db
        .insert(botSessions)
        .values({ key: k(key), value: value as never })
        .onConflictDoUpdate({ target: botSessions.key, set: { value: value as never, updatedAt: sql`now()` } });
    },
    async delete(key) {
      await db.delete(botSessions).where(eq(botSessions.key, k(key)));
    },
  };
}
