import type { UserRole } from '../../db/schema/index.ts';

/** Who is acting: a staff user, the admin token, or the system itself (jobs, webhooks). */
export interface Actor {
  userId: number | null;
  roles: readonly UserRole[];
  label: string;
}

export const systemActor: Actor = { userId: null, roles: ['admin'], label: 'system' };
export const adminTokenActor: Actor = { userId: null, roles: ['admin'], label: 'admin-token' };

export function userActor(user: { id: number; roles: readonly UserRole[]; name: string }): Actor {
  return { userId: user.id, roles: user.roles, label: `user:${user.id}` };
}

export const hasRole = (actor: Actor, ...roles: UserRole[]) => roles.some((r) => actor.roles.includes(r));

/** Admins and supervisors see everything; others what they are responsible for or observe. */
export function canAccessRecord(actor: Actor, record: { responsibleId: number | null; observerIds: number[] }): boolean {
  if (hasRole(actor, 'admin', 'supervisor')) return true;
  if (actor.userId === null) return false;
  return record.responsibleId === actor.userId || record.observerIds.includes(actor.userId);
}
