// The plan Postgres gives a statement once it is prepared and reused: after five runs a
// prepared statement may switch to a generic plan, made without the parameters' values. A
// partial index or an index lookup that only the values make attractive is lost there, and the
// statement quietly turns into a scan of the whole table. Tests ask for that plan directly.
import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/prepared.ts';

const literal = (v: unknown): string => {
  if (v === null || v === undefined) return 'null';
  const text = v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return `'${text.replace(/'/g, "''")}'`;
};

/** EXPLAIN of the statement under plan_cache_mode = force_generic_plan, as text lines. */
export async function genericPlanOf(db: Db, statement: SQL | { sql: string; params: unknown[] }): Promise<string> {
  const query = 'toQuery' in statement ? new PgDialect().sqlToQuery(statement) : statement;
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
    await tx.execute(sql.raw(`prepare generic_plan_probe as ${query.sql}`));
    try {
      const args = query.params.length ? `(${query.params.map(literal).join(', ')})` : '';
      const plan = rowsOf<{ 'QUERY PLAN': string }>(await tx.execute(sql.raw(`explain execute generic_plan_probe${args}`)));
      return plan.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await tx.execute(sql.raw('deallocate generic_plan_probe'));
    }
  });
}
