// The upkeep does one table per step, the most urgent of the kind asked first, else one of the
// other kind, and nothing once every table is analyzed and vacuumed (Postgres and PGlite, neither
// running autovacuum here).
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { upkeepOneTable } from '../../../db/hot-table-upkeep.ts';
import { rowsOf } from '../../../db/prepared.ts';
import { describeOnEachDb } from '../../support/each-db.ts';
import { addMessages, counted, markProcessed } from '../../support/inbox-rows.ts';

describeOnEachDb('hot table upkeep', 'hot_upkeep', (t) => {
  it('analyzes the most outgrown table, vacuums when asked first, then the next table, then nothing', async () => {
    // Never analyzed, both: the inbox, its rows larger, outgrew more than the contacts.
    await addMessages(t.db, 1, 3000);
    await t.db.execute(sql`insert into contacts (first_name) select 'Клиент ' || g from generate_series(1, 3000) g`);
    const first = rowsOf<{ id: number }>(await t.db.execute(sql`select min(id)::int as id from inbound_messages`))[0]!.id;
    await markProcessed(t.db, first, first + 2999);
    await counted(t.db, 3000);

    expect(await upkeepOneTable(t.db)).toEqual({ analyzed: ['inbound_messages'], vacuumed: [] });
    expect(await upkeepOneTable(t.db, { first: 'vacuum' })).toEqual({ analyzed: [], vacuumed: ['inbound_messages'] });
    // Nothing left to vacuum: the other kind.
    expect(await upkeepOneTable(t.db, { first: 'vacuum' })).toEqual({ analyzed: ['contacts'], vacuumed: [] });
    expect(await upkeepOneTable(t.db)).toEqual({ analyzed: [], vacuumed: [] });
    expect(await upkeepOneTable(t.db, { first: 'vacuum' })).toEqual({ analyzed: [], vacuumed: [] });
  }, 120_000);
});
