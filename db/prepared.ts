// Prepared Drizzle queries, built once per database handle. Building a query with Drizzle's
// builder costs several times the round trip to a local Postgres; a prepared one is built
// once and only takes its parameters (used on the hot paths: every inbound update, every send).
import { type Column, getTableColumns, type Table } from 'drizzle-orm';
import type { Db } from './client.ts';

export function preparedFor<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) {
      prepared = build(db);
      cache.set(db, prepared);
    }
    return prepared;
  };
}

/**
 * A row as `db.execute` answers it (column names, driver values) as the table's select type,
 * for the few statements the builder cannot express (a CTE that inserts into two tables).
 */
export function rowAs<T extends Table>(table: T, raw: Record<string, unknown>): T['$inferSelect'] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of columnsOf(table)) {
    const value = raw[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T['$inferSelect'];
}

/** db.execute answers an array (postgres.js) or { rows } (PGlite). */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

/** A table's [property, column] pairs, listed once per table: rowAs runs for every row of the hot paths. */
const columnLists = new WeakMap<Table, [string, Column][]>();
function columnsOf(table: Table): [string, Column][] {
  let list = columnLists.get(table);
  if (!list) {
    list = Object.entries(getTableColumns(table));
    columnLists.set(table, list);
  }
  return list;
}
