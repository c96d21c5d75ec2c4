import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { languages, type User, userRoles, users } from '../../db/schema/index.ts';
import { type Actor, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { AccessDeniedError } from './errors.ts';
import { idSchema, optionalText } from './record-input.ts';
import { parseInput } from './validate.ts';

export const userInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  roles: z.array(z.enum(userRoles)).min(1),
  supervisorId: idSchema.nullable().optional(),
  department: optionalText(200),
  language: z.enum(languages).optional(),
});
export type UserInput = z.input<typeof userInputSchema>;

export async function createUser(db: Db, actor: Actor, input: UserInput): Promise<User> {
  if (!hasRole(actor, 'admin')) throw new AccessDeniedError('user', null);
  const data = parseInput(userInputSchema, input);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(users).values({ ...data, roles: [...new Set(data.roles)] }).returning();
    await writeAudit(tx, actor, { action: 'user.create', entityType: 'user', entityId: row!.id, after: row });
    return row!;
  });
}

