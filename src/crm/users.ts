// Staff users: adding them, the list an admin works from, and changes to who they are (name,
// roles, supervisor, department, language, linked messengers). Every change is audited; a change
// that would leave the company without an active admin is refused.
import { and, arrayContains, asc, eq, inArray, ne, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { languages, type User, userRoles, users } from '../../db/schema/index.ts';
import { type Actor, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { AccessDeniedError, ConflictError, NotFoundError, ValidationError } from './errors.ts';
import { idSchema, phoneSchema } from './record-input.ts';
import { parseInput } from './validate.ts';

// NUL and lone surrogates cannot be stored by Postgres: refused here as bad input, not a 500.
const storable = (s: string) => !/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
const staffText = (max: number) => z.string().trim().max(max).refine(storable, 'contains characters that cannot be stored');
const rolesSchema = z.array(z.enum(userRoles)).min(1).max(userRoles.length * 2);

export const userInputSchema = z.object({
  name: staffText(200).pipe(z.string().min(1)),
  roles: rolesSchema,
  supervisorId: idSchema.nullable().optional(),
  department: staffText(200).nullable().optional(),
  language: z.enum(languages).optional(),
  whatsappPhone: phoneSchema.nullable().optional(),
});
export type UserInput = z.input<typeof userInputSchema>;

export const userPatchSchema = z
  .object({
    name: staffText(200).pipe(z.string().min(1)),
    roles: rolesSchema,
    supervisorId: idSchema.nullable(),
    department: staffText(200).nullable(),
    language: z.enum(languages),
    /** The number he writes from on WhatsApp (his cards work there too); null unlinks it. */
    whatsappPhone: phoneSchema.nullable(),
    /** Only null: unlinks his Telegram (a lost phone); he links again with a new invite code. */
    telegramUserId: z.null(),
  })
  .partial()
  .strict();
export type UserPatch = z.input<typeof userPatchSchema>;

/** Why a staff change was refused; the bot and the CLI say it in words, the API answers 409. */
export const staffRefusals = ['self_deactivation', 'last_admin', 'inactive', 'supervisor_loop'] as const;
export type StaffRefusal = (typeof staffRefusals)[number];

export class StaffChangeRefusedError extends ConflictError {
  override name = 'StaffChangeRefusedError';
  constructor(
    readonly reason: StaffRefusal,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function requireAdmin(actor: Actor, entity = 'user'): void {
  if (!hasRole(actor, 'admin')) throw new AccessDeniedError(entity, null);
}

/** The supervisor named by `field` exists, is active, and is not the user himself or below him. */
async function checkSupervisor(tx: Db, supervisorId: number | null | undefined, userId: number | null): Promise<void> {
  if (supervisorId === null || supervisorId === undefined) return;
  if (supervisorId === userId) throw new ValidationError([{ field: 'supervisorId', message: 'cannot be the user himself' }]);
  // Walk up from the new supervisor: meeting the user means the chain would loop.
  const seen = new Set<number>();
  for (let at: number | null = supervisorId; at !== null && !seen.has(at); ) {
    seen.add(at);
    const [row] = await tx.select({ id: users.id, supervisorId: users.supervisorId, isActive: users.isActive }).from(users).where(eq(users.id, at));
    if (!row) {
      if (at === supervisorId) throw new ValidationError([{ field: 'supervisorId', message: 'no such user' }]);
      break;
    }
    if (at === supervisorId && !row.isActive) throw new ValidationError([{ field: 'supervisorId', message: 'is deactivated' }]);
    if (userId !== null && row.supervisorId === userId) throw new StaffChangeRefusedError('supervisor_loop', `user ${supervisorId} reports to user ${userId}: the chain would loop`);
    at = row.supervisorId;
  }
}

export async function createUser(db: Db, actor: Actor, input: UserInput): Promise<User> {
  requireAdmin(actor);
  const data = parseInput(userInputSchema, input);
  return db.transaction(async (tx) => {
    await checkSupervisor(tx, data.supervisorId, null);
    const [row] = await tx
      .insert(users)
      .values({ ...data, roles: [...new Set(data.roles)] })
      .returning()
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new ValidationError([{ field: 'whatsappPhone', message: 'is linked to another user' }], { cause: err });
        throw err;
      });
    await writeAudit(tx, actor, { action: 'user.create', entityType: 'user', entityId: row!.id, after: row });
    return row!;
  });
}

export async function getUser(db: Db, actor: Actor, userId: number): Promise<User> {
  requireAdmin(actor);
  const [row] = await db.select().from(users).where(eq(users.id, userId));
  if (!row) throw new NotFoundError('user', userId);
  return row;
}

/** A staff member as the admin's list shows him. */
export interface StaffEntry {
  user: User;
  supervisorName: string | null;
  telegramLinked: boolean;
  whatsappLinked: boolean;
}

export async function listStaff(db: Db, actor: Actor, opts: { active?: boolean } = {}): Promise<StaffEntry[]> {
  requireAdmin(actor);
  const where: SQL | undefined = opts.active === undefined ? undefined : eq(users.isActive, opts.active);
  const rows = await db.select().from(users).where(where).orderBy(asc(users.id));
  const names = new Map(rows.map((u) => [u.id, u.name]));
  const missing = [...new Set(rows.map((u) => u.supervisorId).filter((id): id is number => id !== null && !names.has(id)))];
  if (missing.length) for (const s of await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, missing))) names.set(s.id, s.name);
  return rows.map((user) => ({
    user,
    supervisorName: user.supervisorId === null ? null : (names.get(user.supervisorId) ?? null),
    telegramLinked: user.telegramUserId !== null,
    whatsappLinked: user.whatsappPhone !== null,
  }));
}

/**
 * Refuses a change that takes the user out of the active admins when he is the last one. The
 * active admins are locked first, in id order, before the user's own row: two admins removing
 * each other at once then wait for one another instead of deadlocking, and the second sees the
 * first's change.
 */
export async function guardLastAdmin(tx: Db, userId: number): Promise<void> {
  const admins = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.isActive, true), arrayContains(users.roles, ['admin'])))
    .orderBy(asc(users.id))
    .for('update');
  if (admins.length === 1 && admins[0]!.id === userId) throw new StaffChangeRefusedError('last_admin', `user ${userId} is the last active admin; make someone else admin first`);
}

export async function updateUser(db: Db, actor: Actor, userId: number, patch: UserPatch): Promise<User> {
  requireAdmin(actor);
  const data = parseInput(userPatchSchema, patch);
  return db.transaction(async (tx) => {
    const roles = data.roles ? [...new Set(data.roles)] : undefined;
    if (roles && !roles.includes('admin')) await guardLastAdmin(tx, userId);
    const [before] = await tx.select().from(users).where(eq(users.id, userId)).for('update');
    if (!before) throw new NotFoundError('user', userId);
    if (data.supervisorId !== undefined) await checkSupervisor(tx, data.supervisorId, userId);
    if (data.whatsappPhone) {
      const [taken] = await tx.select({ id: users.id }).from(users).where(and(eq(users.whatsappPhone, data.whatsappPhone), ne(users.id, userId)));
      if (taken) throw new ValidationError([{ field: 'whatsappPhone', message: `is linked to user ${taken.id}` }]);
    }
    const change = { ...data, ...(roles ? { roles } : {}) };
    const changed = Object.entries(change).filter(([k, v]) => JSON.stringify(before[k as keyof User]) !== JSON.stringify(v));
    if (changed.length === 0) return before;
    const [after] = await tx
      .update(users)
      .set({ ...change, updatedAt: new Date() })
      .where(eq(users.id, userId))
      .returning()
      .catch((err: unknown) => {
        // Two admins giving one number to two people at once: the UNIQUE key decides.
        if (isUniqueViolation(err)) throw new ValidationError([{ field: 'whatsappPhone', message: 'is linked to another user' }], { cause: err });
        throw err;
      });
    const keys = changed.map(([k]) => k as keyof User);
    await writeAudit(tx, actor, {
      action: 'user.update',
      entityType: 'user',
      entityId: userId,
      before: Object.fromEntries(keys.map((k) => [k, before[k]])),
      after: Object.fromEntries(keys.map((k) => [k, after![k]])),
    });
    return after!;
  });
}

function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) if ((e as { code?: unknown }).code === '23505') return true;
  return false;
}
