import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens, type User, users } from '../../db/schema/index.ts';
import { type Actor, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { AccessDeniedError, NotFoundError } from './errors.ts';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Issues an API token for a user; the plain token is returned once and only its hash is kept. */
export async function createApiToken(db: Db, actor: Actor, userId: number, label?: string): Promise<{ token: string; id: number }> {
  if (!hasRole(actor, 'admin')) throw new AccessDeniedError('api_token', null);
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError('user', userId);
  const token = `ccrm_${randomBytes(24).toString('base64url')}`;
  const [row] = await db.insert(apiTokens).values({ userId, tokenHash: hashToken(token), label: label ?? null }).returning({ id: apiTokens.id });
  await writeAudit(db, actor, { action: 'api_token.create', entityType: 'user', entityId: userId, after: { tokenId: row!.id, label } });
  return { token, id: row!.id };
}

/** The active user a token belongs to, if the token is known and not revoked. */
export async function findUserByToken(db: Db, token: string): Promise<User | null> {
  const [row] = await db
    .select({ user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt), eq(users.isActive, true)));
  return row?.user ?? null;
}
