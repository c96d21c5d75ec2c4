// Flows run for staff: who is pressing, as plain data, and outcomes of services as values (a
// conversation replays what an external returned, so errors are returned, not thrown).
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { type MessagingChannel, users } from '../db/schema/index.ts';
import { type Actor, userActor } from '../src/crm/actor.ts';
import { CrmError } from '../src/crm/errors.ts';
import type { Lang } from '../bots/telegram/i18n.ts';
import type { FlowContext, FlowConversation, FlowDeps, StaffRef } from './flow-types.ts';

/** The staff member writing: by his Telegram id, or on WhatsApp by his phone (the chat's number). */
export async function staffRef(db: Db, channel: MessagingChannel, fromId: number | undefined): Promise<StaffRef | null> {
  if (fromId === undefined) return null;
  const who = channel === 'telegram' ? eq(users.telegramUserId, fromId) : eq(users.whatsappPhone, `+${fromId}`);
  const [u] = await db
    .select({ id: users.id, name: users.name, roles: users.roles, language: users.language })
    .from(users)
    .where(and(who, eq(users.isActive, true)));
  return u ? { id: u.id, name: u.name, roles: [...u.roles], language: u.language } : null;
}

export const actorOf = (me: StaffRef): Actor => userActor({ id: me.id, name: me.name, roles: me.roles as Actor['roles'] });

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string; details?: Record<string, unknown> } };

/** Runs a service call and keeps what came of it as plain data. */
export async function settle<T>(p: Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await p };
  } catch (err) {
    // Only the CRM's own refusals are outcomes; anything else is a failure of the run.
    if (!(err instanceof CrmError)) throw err;
    const details: Record<string, unknown> = {};
    for (const k of ['entity', 'id', 'missing', 'issues', 'holderName', 'reason', 'existing', 'taskId', 'status', 'dueAt']) if (k in err) details[k] = (err as unknown as Record<string, unknown>)[k];
    return { ok: false, error: { name: err.name, message: err.message, details } };
  }
}

/** Who is running the flow, read once (and replayed); null for someone who is not active staff. */
export async function staffSession(conversation: FlowConversation, ctx: FlowContext, deps: Pick<FlowDeps, 'db' | 'channel'>): Promise<{ me: StaffRef; lang: Lang; actor: Actor } | null> {
  const me = await conversation.external(() => staffRef(deps.db, deps.channel, ctx.from?.id));
  return me ? { me, lang: me.language, actor: actorOf(me) } : null;
}
