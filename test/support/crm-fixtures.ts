import type { Db } from '../../db/client.ts';
import { type User, type UserRole, users } from '../../db/schema/index.ts';
import { type Actor, userActor } from '../../src/crm/actor.ts';

let n = 0;
export async function makeUser(db: Db, roles: UserRole[], extra: Partial<typeof users.$inferInsert> = {}): Promise<{ user: User; actor: Actor }> {
  n += 1;
  const [user] = await db
    .insert(users)
    .values({ name: `${roles.join('+')} ${n}`, roles, ...extra })
    .returning();
  return { user: user!, actor: userActor(user!) };
}
