// Transactions beside plain queries that keep every connection of the main pool busy: with
// postgres.js's sql.begin() on that pool, BEGIN may be pipelined behind a busy query without
// the connection being reserved (porsager/postgres#823), failing with UNSAFE_TRANSACTION and
// leaving a transaction open on a pooled connection. Through the client Drizzle gets
// (transactionsOn), transactions run on a pool of their own: all commit, a failing one rolls
// back, a failing savepoint only its own part, and no connection is left idle in a
// transaction. (The race itself is timing-bound and did not come in a test here; it was seen
// in the inbound bench.)
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../db/client.ts';
import { rowsOf } from '../../../db/prepared.ts';
import { preparingAll } from '../../../db/postgres-prepare-all.ts';
import { transactionsOn } from '../../../db/postgres-transaction-pool.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';

describe('transactions on a pool of their own', () => {
  let t: TestDb;
  let client: postgres.Sql;
  let transactions: postgres.Sql;
  let db: Db;
  beforeAll(async () => {
    t = await createTestPostgres('reserved_tx');
    await t.db.execute(sql`create table tx_probe (id serial primary key, round int not null, n int not null, data jsonb)`);
    client = postgres(t.url!, { max: 3, onnotice: () => {}, connection: { application_name: 'main_pool' } });
    transactions = postgres(t.url!, { max: 2, onnotice: () => {}, connection: { application_name: 'transaction_pool' } });
    db = drizzle({ client: preparingAll(transactionsOn(client, transactions)) }) as unknown as Db;
  }, 60_000);
  afterAll(async () => {
    await client?.end({ timeout: 5 });
    await transactions?.end({ timeout: 5 });
    await t?.drop();
  });

  it('every transaction commits while plain queries keep the connections busy', async () => {
    const errors: string[] = [];
    const pools: string[] = [];
    for (let round = 0; round < 10; round++) {
      const busy = [0, 1, 2].map(() => db.execute(sql`select pg_sleep(0.05)`));
      const plain = Array.from({ length: 6 }, (_, i) => db.execute(sql`select ${i}::int as i`));
      // postgres.js sends queries on the next tick, but BEGIN at once: let the others go first.
      await new Promise((r) => setImmediate(r));
      const txs = Array.from({ length: 5 }, (_, n) =>
        db.transaction(async (tx) => {
          await tx.execute(sql`insert into tx_probe (round, n) values (${round}, ${n})`);
          return rowsOf<{ pool: string }>(await tx.execute(sql`select current_setting('application_name') as pool`))[0]!.pool;
        }),
      );
      const settled = await Promise.allSettled([...busy, ...plain, ...txs]);
      for (const s of settled) if (s.status === 'rejected') errors.push(String(s.reason));
      pools.push(...(await Promise.all(txs)));
    }
    expect(errors).toEqual([]);
    expect(new Set(pools)).toEqual(new Set(['transaction_pool']));
    const [{ n }] = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from tx_probe`)) as [{ n: number }];
    expect(n).toBe(50);
    const stuck = rowsOf<{ n: number }>(
      await t.db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`),
    )[0]!;
    expect(stuck.n).toBe(0);
  }, 60_000);

  it('a transaction reads and writes values as the main pool does (JSON, dates)', async () => {
    const at = await db.transaction(async (tx) => {
      await tx.execute(sql`insert into tx_probe (round, n, data) values (200, 1, ${JSON.stringify({ a: [1, 'б'] })}::jsonb)`);
      return rowsOf<{ data: unknown; at: unknown }>(await tx.execute(sql`select data, ${'2026-12-02T10:00:00.000Z'}::timestamptz as at from tx_probe where round = 200`))[0]!;
    });
    const outside = rowsOf<{ data: unknown; at: unknown }>(await db.execute(sql`select data, ${'2026-12-02T10:00:00.000Z'}::timestamptz as at from tx_probe where round = 200`))[0]!;
    expect(at).toEqual(outside);
    expect(rowsOf<{ a: string }>(await db.execute(sql`select data->'a'->>1 as a from tx_probe where round = 200`))[0]).toEqual({ a: 'б' });
  });

  it('a failing transaction rolls back, a failing savepoint only its own part, and the connection serves on', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(sql`insert into tx_probe (round, n) values (100, 1)`);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into tx_probe (round, n) values (101, 1)`);
      await expect(
        tx.transaction(async (inner) => {
          await inner.execute(sql`insert into tx_probe (round, n) values (101, 2)`);
          await inner.execute(sql`select 1 / 0`);
        }),
      ).rejects.toMatchObject({ cause: { message: "division by zero" } });
      await tx.execute(sql`insert into tx_probe (round, n) values (101, 3)`);
    });
    const rows = rowsOf<{ round: number; n: number }>(await t.db.execute(sql`select round, n from tx_probe where round between 100 and 199 order by round, n`));
    expect(rows).toEqual([
      { round: 101, n: 1 },
      { round: 101, n: 3 },
    ]);
    expect(rowsOf<{ one: number }>(await db.execute(sql`select 1 as one`))[0]).toEqual({ one: 1 });
  });
});
