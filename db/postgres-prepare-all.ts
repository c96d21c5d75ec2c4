// Drizzle runs its queries on postgres.js through `unsafe()`, unprepared unless the query was
// given a name (drizzle-orm issue #6096). An unprepared query with parameters costs postgres.js
// two round trips every time (Parse + Describe, wait for the parameter types, then Bind +
// Execute); a prepared one costs one after its first run on a connection. This hands Drizzle a
// client whose queries are all prepared, in transactions and savepoints too. postgres.js keeps
// the statements per connection, and prepares again when Postgres says a plan went stale.
import type { Sql } from 'postgres';

export function preparingAll<T extends Sql<any>>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') return (query: string, params?: unknown[], options?: Record<string, unknown>) => target.unsafe(query, params as never, { ...options, prepare: true });
      if (prop === 'begin' || prop === 'savepoint') {
        return (...args: unknown[]) => {
          const fn = args.pop() as (tx: Sql<any>) => unknown;
          const open = Reflect.get(target, prop) as (...a: unknown[]) => unknown;
          return open.apply(target, [...args, (tx: Sql<any>) => fn(preparingAll(tx))]);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}
