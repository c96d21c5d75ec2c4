// Staff link their messenger account with a one-time code: `/start <code>` in the bot. The code
// is shown once; only its SHA-256 is stored.
import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { staffInvites, type User, users } from '../../db/schema/index.ts';
import { type Actor, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { hashToken } from './api-tokens.ts';
import { AccessDeniedError, ConflictError, NotFoundError } from './errors.ts';
import { type MessageOfStaff, takeMessageFromContact } from './staff-message-owner.ts';
import { StaffChangeRefusedError } from './users.ts';

export const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

export async function createStaffInvite(db: Db, actor: Actor, userId: number, now = new Date()): Promise<{ code: string; expiresAt: Date }> {
  if (!hasRole(actor, 'admin')) throw new AccessDeniedError('invite', null);
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, isActive: users.isActive }).from(users).where(eq(users.id, userId));
    if (!user) throw new NotFoundError('user', userId);
    if (!user.isActive) throw new StaffChangeRefusedError('inactive', `user ${userId} is deactivated; reactivate him first`);
    const code = randomBytes(9).toString('base64url');
    const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
    await tx.insert(staffInvites).values({ codeHash: hashToken(code), userId, createdById: actor.userId, expiresAt });
    await writeAudit(tx, actor, { action: 'invite.create', entityType: 'user', entityId: userId, after: { expiresAt } });
    return { code, expiresAt };
  });
}

export class InvalidInviteError extends Error {
  override name = 'InvalidInviteError';
}

/**
 * Uses the code once: the user gets the Telegram id; a used, expired or unknown code (or one
 * of a deactivated user) is refused. `message`: the /start message itself, stored as a new
 * customer's since the sender was not known as staff yet; in the same transaction it becomes
 * his, and the contact made for it goes when it holds nothing else (see staff-message-owner.ts).
 */
export async function redeemTelegramInvite(db: Db, code: string, telegramUserId: number, now = new Date(), message?: MessageOfStaff): Promise<User> {
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .update(staffInvites)
      .set({ usedAt: now })
      .where(and(eq(staffInvites.codeHash, hashToken(code)), isNull(staffInvites.usedAt), gt(staffInvites.expiresAt, now)))
      .returning();
    if (!invite) throw new InvalidInviteError('unknown, used or expired invite code');
    const [owner] = await tx.select({ isActive: users.isActive }).from(users).where(eq(users.id, invite.userId));
    if (!owner?.isActive) throw new InvalidInviteError('the invite code belongs to a deactivated user');
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.telegramUserId, telegramUserId));
    if (taken && taken.id !== invite.userId) throw new ConflictError('this Telegram account is linked to another user');
    const [user] = await tx.update(users).set({ telegramUserId, updatedAt: now }).where(eq(users.id, invite.userId)).returning();
    await writeAudit(tx, { userId: user!.id, roles: user!.roles, label: `user:${user!.id}` }, {
      action: 'user.link_telegram',
      entityType: 'user',
      entityId: user!.id,
      after: { telegramUserId },
    });
    if (message) await takeMessageFromContact(tx, user!.id, message);
    return user!;
  });
}
