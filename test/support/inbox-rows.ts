// Inbox rows written straight in SQL, for the tests of the hot tables' upkeep, and what the
// statistics say of them.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/prepared.ts';

export const addMessages = (db: Db, from: number, n: number) =>
  db.execute(sql`
    insert into inbound_messages (channel, account, external_id, chat_id, sender_external_id, kind, text, payload)
    select 'telegram', '42', 'm' || g, g::text, g::text, 'text', repeat('слово ', 20), jsonb_build_object('raw', jsonb_build_object('update_id', g))
    from generate_series(${from}::int, ${from + n - 1}::int) g`);

/** Marks messages processed in groups of 20, as the store does under load. */
export async function markProcessed(db: Db, from: number, to: number) {
  for (let i = from; i <= to; i += 20)
    await db.execute(sql`update inbound_messages set processed_at = now(), last_error = null where id between ${i}::bigint and ${Math.min(i + 19, to)}::bigint`);
}

export const inbox = async (db: Db) => {
  const [r] = rowsOf<{ updated: number; dead: number; heap: number }>(
    await db.execute(sql`select n_tup_upd::int as updated, n_dead_tup::int as dead, pg_relation_size(relid)::int as heap from pg_stat_user_tables where relname = 'inbound_messages'`),
  );
  return r!;
};

/**
 * Waits until the statistics count `updates` row updates of the inbox: a backend reports its
 * counts at most once a second, and an idle one within 10 s.
 */
export async function counted(db: Db, updates: number) {
  for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    const now = await inbox(db);
    if (now.updated >= updates) return now;
  }
  throw new Error(`the statistics never counted ${updates} updates of the inbox`);
}
