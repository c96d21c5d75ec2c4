// Small things a manager does on a card from the chat: a comment, a file for the history, a
// reminder about the card. Access is the card's: who may open it may comment on it.
import type { Db } from '../../db/client.ts';
import type { Task, TimelineEntry } from '../../db/schema/index.ts';
import { createScheduledTask } from '../automation/create-scheduled-task.ts';
import type { Actor } from '../crm/actor.ts';
import { getContact } from '../crm/contacts.ts';
import type { FileValue } from '../crm/custom-fields.ts';
import { getDeal } from '../crm/deals.ts';
import { getLead } from '../crm/leads.ts';
import { createTask } from '../crm/tasks.ts';
import { addTimelineEntry } from '../crm/timeline.ts';
import type { Jobs } from '../jobs/job-queue.ts';

export type CardEntity = 'lead' | 'deal' | 'contact';

/** Throws AccessDeniedError / NotFoundError as the card itself would. */
export async function assertCardAccess(db: Db, actor: Actor, entity: CardEntity, id: number): Promise<void> {
  if (entity === 'deal') await getDeal(db, actor, id);
  else if (entity === 'lead') await getLead(db, actor, id);
  else await getContact(db, actor, id);
}

export async function addCardComment(db: Db, actor: Actor, entity: CardEntity, id: number, text: string): Promise<TimelineEntry> {
  await assertCardAccess(db, actor, entity, id);
  return addTimelineEntry(db, actor, { entityType: entity, entityId: id, kind: 'comment', body: text.slice(0, 10_000) });
}

export async function addCardFile(db: Db, actor: Actor, entity: CardEntity, id: number, file: FileValue, caption?: string): Promise<TimelineEntry> {
  await assertCardAccess(db, actor, entity, id);
  return addTimelineEntry(db, actor, { entityType: entity, entityId: id, kind: 'file', body: caption ?? null, data: { file } });
}

/** A task on the card for the actor himself, due then; its reminder reaches him in the messenger. */
export async function remindAboutCard(db: Db, jobs: Jobs | null, actor: Actor, entity: CardEntity, id: number, input: { title: string; dueAt: Date }): Promise<Task> {
  await assertCardAccess(db, actor, entity, id);
  const task = { title: input.title, dueAt: input.dueAt, assigneeId: actor.userId, entityType: entity, entityId: id };
  // Without a queue here the reminder worker's sweep arms it within a minute.
  return jobs ? createScheduledTask(db, jobs, actor, task) : createTask(db, actor, task);
}
