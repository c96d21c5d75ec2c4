// The embedded database's folder: a new one is created by a child process (initdb and the
// migrations), moved into place PG_VERSION last, and opened with small shared buffers; what a
// creation cut short left behind does not stop the next one.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, PGLITE_SHARED_BUFFERS } from '../../../db/client.ts';
import { rowsOf } from '../../../db/prepared.ts';

describe('the embedded database folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'chatcrm-pglite-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is created migrated by a child process, over the leftovers of a creation cut short, then reopened', async () => {
    const dataDir = join(root, 'data');
    // What a first start killed half-way may leave: the staging folder, entries moved without PG_VERSION.
    mkdirSync(join(dataDir, '.chatcrm-creating', 'base'), { recursive: true });
    mkdirSync(join(dataDir, 'global'), { recursive: true });
    writeFileSync(join(dataDir, 'global', 'pg_control'), 'half');

    const first = await createDb({ DATA_DIR: dataDir });
    try {
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
      expect(readdirSync(dataDir)).not.toContain('.chatcrm-creating');
      // Migrated before this process opened it: the tables are there before migrate() runs.
      const tables = rowsOf<{ n: number }>(await first.db.execute(sql`select count(*)::int as n from information_schema.tables where table_name in ('inbound_messages', 'outbox_messages', 'contacts')`));
      expect(tables[0]!.n).toBe(3);
      const applied = rowsOf<{ n: number }>(await first.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      expect(applied[0]!.n).toBeGreaterThan(0);
      const buffers = rowsOf<{ shared_buffers: string }>(await first.db.execute(sql`show shared_buffers`));
      expect(buffers[0]!.shared_buffers).toBe(PGLITE_SHARED_BUFFERS);
      await first.db.execute(sql`insert into users (name, roles) values ('Проверка', '{admin}')`);
    } finally {
      await first.close();
    }

    const again = await createDb({ DATA_DIR: dataDir });
    try {
      await again.migrate();
      const users = rowsOf<{ name: string }>(await again.db.execute(sql`select name from users`));
      expect(users.map((u) => u.name)).toContain('Проверка');
    } finally {
      await again.close();
    }
  }, 120_000);
});
