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

// Rights on a record (deal, lead, contact, company):
// - admins and supervisors read and change everything;
// - the responsible reads and changes his records: fields, stage or status, conversion, closing,
//   who is responsible (handing it over) and who observes;
// - an observer follows the record: he reads it, comments, adds files to its history, puts tasks
//   and reminders on it for himself, and answers the client in the chat (every answer lands on
//   the timeline). He never changes the record itself: not its fields, its stage, its
//   responsible or its observers, and he does not convert or close it.

/** May read: admins, supervisors, the responsible and the observers. */
export function canAccessRecord(actor: Actor, record: { responsibleId: number | null; observerIds: number[] }): boolean {
  if (hasRole(actor, 'admin', 'supervisor')) return true;
  if (actor.userId === null) return false;
  return record.responsibleId === actor.userId || record.observerIds.includes(actor.userId);
}

/** May change: admins, supervisors and the responsible; never an observer as such. */
export function canManageRecord(actor: Actor, record: { responsibleId: number | null }): boolean {
  if (hasRole(actor, 'admin', 'supervisor')) return true;
  return actor.userId !== null && record.responsibleId === actor.userId;
}

/** Why a change was refused, for the answer: an observer is told he only observes. */
export function refusalReason(actor: Actor, record: { observerIds?: number[] }): 'observer' | undefined {
  return actor.userId !== null && record.observerIds?.includes(actor.userId) ? 'observer' : undefined;
}
