import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens, type User, users } from '../../db/schema/index.ts';
import { type Actor, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { AccessDeniedError, NotFoundError } from './errors.ts';
import { StaffChangeRefusedError } from './users.ts';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A token as an admin sees it: never the token itself, nor its hash. */
export interface ApiTokenInfo {
  id: number;
  userId: number;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

const infoColumns = { id: apiTokens.id, userId: apiTokens.userId, label: apiTokens.label, createdAt: apiTokens.createdAt, revokedAt: apiTokens.revokedAt };

/** Issues an API token for a user; the plain token is returned once and only its hash is kept. */
export async function createApiToken(db: Db, actor: Actor, userId: number, label?: string): Promise<{ token: string; id: number }> {
  if (!hasRole(actor, 'admin')) throw new AccessDeniedError('api_token', null);
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, isActive: users.isActive }).from(users).where(eq(users.id, userId));
    if (!user) throw new NotFoundError('user', userId);
    if (!user.isActive) throw new StaffChangeRefusedError('inactive', `user ${userId} is deactivated; reactivate him first`);
    const token = `ccrm_${randomBytes(24).toString('base64url')}`;
    const [row] = await tx.insert(apiTokens).values({ userId, tokenHash: hashToken(token), label: label ?? null }).returning({ id: apiTokens.id });
    await writeAudit(tx, actor, { action: 'api_token.create', entityType: 'user', entityId: userId, after: { tokenId: row!.id, label } });
    return { token, id: row!.id };
  });
}

export async function listApiTokens(db: Db, actor: Actor, userId: number): Promise<ApiTokenInfo[]> {
  if (!hasRole(actor, 'admin')) throw new AccessDeniedError('api_token', null);
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError('user', userId);
  return db.select(infoColumns).from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(asc(apiTokens.id));
}

/** Revokes a token at once (the next request with it gets 401); revoking a revoked one changes nothing. */
export async function revokeApiToken(db: Db, actor: Actor, tokenId: number, now = new Date()): Promise<{ token: ApiTokenInfo; alreadyRevoked: boolean }> {
  if (!hasRole(actor, 'admin')) throw new AccessDeniedError('api_token', null);
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)))
      .returning(infoColumns);
    if (revoked) {
      await writeAudit(tx, actor, { action: 'api_token.revoke', entityType: 'user', entityId: revoked.userId, after: { tokenId, label: revoked.label } });
      return { token: revoked, alreadyRevoked: false };
    }
    const [existing] = await tx.select(infoColumns).from(apiTokens).where(eq(apiTokens.id, tokenId));
    if (!existing) throw new NotFoundError('api_token', tokenId);
    return { token: existing, alreadyRevoked: true };
  });
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
