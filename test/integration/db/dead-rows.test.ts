// Processed marks leave a dead row version per message; with no autovacuum (PGlite, and this
// machine's Postgres) nothing reclaims them but us. Above autovacuum's own trigger the table is
// vacuumed, and the next marks reuse the space instead of growing the table.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '../../../db/client.ts';
import { tablesWithDeadRows, vacuumDeadRows } from '../../../db/dead-rows.ts';
import { rowsOf } from '../../../db/prepared.ts';
import { describeOnEachDb } from '../../support/each-db.ts';

const addMessages = (db: Db, from: number, n: number) =>
  db.execute(sql`
    insert into inbound_messages (channel, account, external_id, chat_id, sender_external_id, kind, text, payload)
    select 'telegram', '42', 'm' || g, g::text, g::text, 'text', repeat('слово ', 20), jsonb_build_object('raw', jsonb_build_object('update_id', g))
    from generate_series(${from}::int, ${from + n - 1}::int) g`);

/** Marks messages processed in groups of 20, as the store does under load. */
async function markProcessed(db: Db, from: number, to: number) {
  for (let i = from; i <= to; i += 20)
    await db.execute(sql`update inbound_messages set processed_at = now(), last_error = null where id between ${i}::bigint and ${Math.min(i + 19, to)}::bigint`);
}

const inbox = async (db: Db) => {
  const [r] = rowsOf<{ updated: number; dead: number; heap: number }>(
    await db.execute(sql`select n_tup_upd::int as updated, n_dead_tup::int as dead, pg_relation_size(relid)::int as heap from pg_stat_user_tables where relname = 'inbound_messages'`),
  );
  return r!;
};

/**
 * Waits until the statistics count `updates` row updates of the inbox: a backend reports its
 * counts at most once a second, and an idle one within 10 s.
 */
async function counted(db: Db, updates: number) {
  for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    const now = await inbox(db);
    if (now.updated >= updates) return now;
  }
  throw new Error(`the statistics never counted ${updates} updates of the inbox`);
}

describeOnEachDb('dead rows', 'dead_rows', (t) => {
  it('leaves a table alone below autovacuum\'s trigger, vacuums it above, and the next marks reuse the space', async () => {
    const ids = rowsOf<{ id: number }>(await addMessages(t.db, 1, 3000).then(() => t.db.execute(sql`select min(id)::int as id from inbound_messages`)))[0]!.id;
    // 400 marked: fewer dead rows than 50 + 20% of 3,000.
    await markProcessed(t.db, ids, ids + 399);
    expect((await counted(t.db, 400)).dead).toBeGreaterThan(300);
    expect(await tablesWithDeadRows(t.db)).toEqual([]);
    expect(await vacuumDeadRows(t.db)).toEqual([]);

    await markProcessed(t.db, ids + 400, ids + 2999);
    expect((await counted(t.db, 3000)).dead).toBeGreaterThan(2000);
    expect(await tablesWithDeadRows(t.db)).toEqual(['inbound_messages']);
    expect(await vacuumDeadRows(t.db)).toEqual(['inbound_messages']);
    const vacuumed = await inbox(t.db);
    expect(vacuumed.dead).toBe(0);
    expect(await tablesWithDeadRows(t.db)).toEqual([]);

    // Every message marked again: new versions of all 3,000 rows, in the space the vacuum freed.
    await markProcessed(t.db, ids, ids + 2999);
    const after = await inbox(t.db);
    expect(after.heap).toBeLessThanOrEqual(vacuumed.heap * 1.1);
  }, 120_000);
});
