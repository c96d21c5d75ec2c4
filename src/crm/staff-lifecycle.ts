// Someone leaves: he is deactivated in one transaction (his API tokens revoked, his unused
// invite codes dropped, his bot conversations ended) and what he still holds is listed for
// hand-over. Inactive, he is picked by nothing (notices, assignment, the bot's staff lists all
// look at active users only) and his messages no longer act as staff. Reactivating him gives
// back his access, but not his tokens: new ones are issued.
import { and, eq, isNull, like, or, type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens, botSessions, staffInvites, type User, users } from '../../db/schema/index.ts';
import type { Actor } from './actor.ts';
import { writeAudit } from './audit.ts';
import { NotFoundError } from './errors.ts';
import { listOpenRecords, type OpenRecords } from './open-records.ts';
import { guardLastAdmin, requireAdmin, StaffChangeRefusedError } from './users.ts';

export interface DeactivationResult {
  user: User;
  /** He was inactive already: nothing was changed. */
  alreadyInactive: boolean;
  revokedTokens: number;
  droppedInvites: number;
  endedSessions: number;
  openRecords: OpenRecords;
}

/**
 * The bot's conversation state of his private chats, on every bot account: keys are
 * `flows:<channel>:<account>:<chat id>` (see pg-session-storage.ts), and his private chat is his
 * Telegram id, or on WhatsApp his number's digits.
 */
function sessionKeysOf(user: User): SQL | null {
  const keys: SQL[] = [];
  if (user.telegramUserId !== null) keys.push(like(botSessions.key, `flows:telegram:%:${user.telegramUserId}`));
  const digits = user.whatsappPhone?.replace(/\D/g, '');
  if (digits) keys.push(like(botSessions.key, `flows:whatsapp:%:${digits}`));
  return keys.length ? (or(...keys) ?? null) : null;
}

export async function deactivateUser(db: Db, actor: Actor, userId: number, now = new Date()): Promise<DeactivationResult> {
  requireAdmin(actor);
  return db.transaction(async (tx) => {
    if (actor.userId === userId) throw new StaffChangeRefusedError('self_deactivation', 'you cannot deactivate yourself; another admin can');
    await guardLastAdmin(tx, userId);
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!before) throw new NotFoundError('user', userId);
    if (!before.isActive) return { user: before, alreadyInactive: true, revokedTokens: 0, droppedInvites: 0, endedSessions: 0, openRecords: await listOpenRecords(tx, userId) };
    const [user] = await tx.update(users).set({ isActive: false, deactivatedAt: now, updatedAt: now }).where(eq(users.id, userId)).returning();
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    const dropped = await tx
      .delete(staffInvites)
      .where(and(eq(staffInvites.userId, userId), isNull(staffInvites.usedAt)))
      .returning({ id: staffInvites.id });
    const keys = sessionKeysOf(before);
    const ended = keys ? await tx.delete(botSessions).where(keys).returning({ key: botSessions.key }) : [];
    const result = { revokedTokens: revoked.length, droppedInvites: dropped.length, endedSessions: ended.length };
    await writeAudit(tx, actor, {
      action: 'user.deactivate',
      entityType: 'user',
      entityId: userId,
      before: { isActive: true },
      after: { isActive: false, deactivatedAt: now, ...result, revokedTokenIds: revoked.map((r) => r.id) },
    });
    return { user: user!, alreadyInactive: false, ...result, openRecords: await listOpenRecords(tx, userId) };
  });
}

export async function reactivateUser(db: Db, actor: Actor, userId: number, now = new Date()): Promise<{ user: User; alreadyActive: boolean }> {
  requireAdmin(actor);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!before) throw new NotFoundError('user', userId);
    if (before.isActive) return { user: before, alreadyActive: true };
    const [user] = await tx.update(users).set({ isActive: true, deactivatedAt: null, updatedAt: now }).where(eq(users.id, userId)).returning();
    await writeAudit(tx, actor, { action: 'user.reactivate', entityType: 'user', entityId: userId, before: { isActive: false, deactivatedAt: before.deactivatedAt }, after: { isActive: true } });
    return { user: user!, alreadyActive: false };
  });
}

/** Session rows left for a user (tests and the admin's card). */
export async function countSessionsOf(db: Db, user: User): Promise<number> {
  const keys = sessionKeysOf(user);
  if (!keys) return 0;
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(botSessions).where(keys);
  return row?.n ?? 0;
}
