// A suite run once on Postgres and once on PGlite, each on a fresh migrated database dropped
// afterwards: what the inbox and outbox promise must hold on both.
import { afterAll, beforeAll, describe } from 'vitest';
import type { Db, DbKind } from '../../db/client.ts';
import { createTestDb, type TestDb } from './test-db.ts';

/** The suite's database, valid inside its tests and hooks. */
export interface EachDb {
  readonly db: Db;
  /** The Postgres URL; undefined on PGlite. */
  readonly url: string | undefined;
}

export function describeOnEachDb(title: string, label: string, suite: (t: EachDb, kind: DbKind) => void): void {
  for (const kind of ['postgres', 'pglite'] as DbKind[]) {
    describe(`${title} on ${kind}`, () => {
      let current: TestDb | undefined;
      beforeAll(async () => {
        current = await createTestDb(kind, label);
      }, 60_000);
      afterAll(async () => {
        await current?.drop();
      });
      const t: EachDb = {
        get db() {
          if (!current) throw new Error('the test database is not ready yet');
          return current.db;
        },
        get url() {
          return current?.url;
        },
      };
      suite(t, kind);
    });
  }
}
