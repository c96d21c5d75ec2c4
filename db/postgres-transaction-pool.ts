// Transactions on a pool of their own. postgres.js's sql.begin() can send BEGIN on a
// connection it has not reserved: with every connection busy it pipelines BEGIN behind another
// query, and when that write fills the socket or the pipeline, the step that reserves the
// connection is skipped (porsager/postgres#823, #1189; open in 3.4.9). The transaction fails
// with UNSAFE_TRANSACTION and stays open on the server while the connection goes back to the
// pool. Seen here under load: the inbound bench with a preset, twice in about twenty runs. On
// a pool that carries only transactions, a connection is idle or reserved, never busy with a
// plain query, so BEGIN always goes to an idle connection or waits for one.
import type { Sql } from 'postgres';

export function transactionsOn<T extends Sql<any>>(client: T, transactions: Sql<any>): T {
  let aligned = false;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'begin') return Reflect.get(target, prop, receiver);
      return (...args: Parameters<Sql<any>['begin']>) => {
        // Values in and out as the main client handles them: Drizzle sets its own (JSON, dates)
        // on the client it is given, and transactions must read and write them the same way.
        if (!aligned) {
          Object.assign(transactions.options.parsers, target.options.parsers);
          Object.assign(transactions.options.serializers, target.options.serializers);
          aligned = true;
        }
        return (transactions.begin as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
}
