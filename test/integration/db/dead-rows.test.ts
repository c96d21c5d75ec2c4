// Processed marks leave a dead row version per message; with no autovacuum (PGlite, and this
// machine's Postgres) nothing reclaims them but us. Above autovacuum's own trigger the table is
// vacuumed, and the next marks reuse the space instead of growing the table.
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { tablesWithDeadRows, vacuumDeadRows } from '../../../db/dead-rows.ts';
import { rowsOf } from '../../../db/prepared.ts';
import { describeOnEachDb } from '../../support/each-db.ts';
import { addMessages, counted, inbox, markProcessed } from '../../support/inbox-rows.ts';

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
