// Each test file gets its own database on the local Postgres (or a fresh in-memory PGlite),
// migrated with the project's migrations, and dropped afterwards.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDb, type DbHandle, type DbKind } from '../../db/client.ts';

export const TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDb extends DbHandle {
  url?: string;
  drop(): Promise<void>;
}

export function testDatabaseUrl(name: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createTestPostgres(label = 'test'): Promise<TestDb> {
  const name = `chatcrm_${label.replace(/\W/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = testDatabaseUrl(name);
  const handle = await createDb({ DATABASE_URL: url, DATA_DIR: '' });
  await handle.migrate();
  return {
    ...handle,
    url,
    async drop() {
      await handle.close();
      const a = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

export async function createTestPglite(): Promise<TestDb> {
  const handle = await createDb({ DATA_DIR: 'memory://' });
  await handle.migrate();
  return { ...handle, drop: () => handle.close() };
}

export function createTestDb(kind: DbKind, label?: string): Promise<TestDb> {
  return kind === 'postgres' ? createTestPostgres(label) : createTestPglite();
}
