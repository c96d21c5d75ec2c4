import { inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type User, users } from '../../db/schema/index.ts';
import { ValidationError } from './errors.ts';

/** The users with these ids, all of them active staff; otherwise a ValidationError on `field`. */
export async function requireActiveUsers(db: Db, ids: readonly number[], field: string): Promise<User[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(users).where(inArray(users.id, [...ids]));
  const active = new Set(rows.filter((u) => u.isActive).map((u) => u.id));
  const bad = ids.filter((id) => !active.has(id));
  if (bad.length) throw new ValidationError([{ field, message: `not an active user: ${bad.join(', ')}` }]);
  return rows;
}

/** Names by id, for messages and cards; unknown ids are left out. */
export async function userNames(db: Db, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}
