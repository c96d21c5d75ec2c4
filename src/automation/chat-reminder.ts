// A reminder typed in the chat ("завтра в 10 перезвонить Иванову"): when, read by readWhen in
// the company's zone, and what, the words left over. Reading is pure; making the task goes
// through the CRM's task service with the sender as the assignee.
import type { Db } from '../../db/client.ts';
import type { Task } from '../../db/schema/index.ts';
import type { Actor } from '../crm/actor.ts';
import { isStorableText } from '../crm/record-input.ts';
import { createTask } from '../crm/tasks.ts';
import type { Jobs } from '../jobs/job-queue.ts';
import { remindAboutCard, type CardEntity } from '../sales/card-actions.ts';
import type { BusinessCalendar } from './calendar/index.ts';
import { createScheduledTask } from './create-scheduled-task.ts';
import { readWhen } from './when/index.ts';

/** A task's title is at most this long (the task schema's limit). */
export const REMINDER_TITLE_MAX = 500;
/**
 * Longer than this is not a reminder: it is refused before it is read (and before a flow
 * keeps it), whatever a platform let through.
 */
export const REMINDER_TEXT_MAX = 1000;

export type ReminderReading =
  /** `title` is '' when only a time was given. */
  | { kind: 'ok'; at: Date; title: string; matched: string }
  /** `title`: the words besides the time, kept for when the time is said again. */
  | { kind: 'past'; at: Date; matched: string; title: string }
  /** No time in it; `text` is what was typed (shortened), to show back. */
  | { kind: 'no-time'; text: string }
  | { kind: 'empty' }
  | { kind: 'too-long'; max: number }
  /** NUL, other control characters, unpaired surrogates: nothing a person types. */
  | { kind: 'bad-characters' }
  | { kind: 'title-too-long'; max: number };

// Tab, line feed and carriage return are text; any other C0 control or DEL is not.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** `text` shortened to `max` characters, on a character boundary. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** What makes a text no reminder before it is read at all: too long, or characters nobody types. */
export function refuseOutright(text: string): Extract<ReminderReading, { kind: 'too-long' | 'bad-characters' }> | null {
  if (text.length > REMINDER_TEXT_MAX) return { kind: 'too-long', max: REMINDER_TEXT_MAX };
  if (CONTROL.test(text) || !isStorableText(text)) return { kind: 'bad-characters' };
  return null;
}

export function readReminder(text: string, opts: { now: Date; timeZone: string; calendar?: BusinessCalendar }): ReminderReading {
  const outright = refuseOutright(text);
  if (outright) return outright;
  if (!text.replace(/^\s*\/[a-z_]+(?:@\w+)?/i, '').trim()) return { kind: 'empty' };
  const reading = readWhen(text, { now: opts.now, timeZone: opts.timeZone, ...(opts.calendar ? { calendar: opts.calendar } : {}) });
  if (!reading.at) return { kind: 'no-time', text: clip(text.replace(/\s+/g, ' ').trim(), 100) };
  // A minute is what a person names: "в 10" is 10:00:00, and "через 2 часа" keeps no seconds.
  const at = new Date(Math.floor(reading.at.getTime() / 60_000) * 60_000);
  const rest = reading.rest.trim();
  if ([...rest].length > REMINDER_TITLE_MAX) return { kind: 'title-too-long', max: REMINDER_TITLE_MAX };
  const title = rest ? rest[0]!.toLocaleUpperCase('ru') + rest.slice(1) : '';
  if (reading.past || at.getTime() <= opts.now.getTime()) return { kind: 'past', at, matched: reading.matchedText, title };
  return { kind: 'ok', at, title, matched: reading.matchedText };
}

/**
 * The sender's own task, due then, on the card it was set from if any (the card's access rules
 * apply). Without a queue here the reminder worker's sweep arms it within a minute.
 */
export async function createChatReminder(
  db: Db,
  jobs: Jobs | null,
  actor: Actor,
  input: { title: string; dueAt: Date; card?: { entity: CardEntity; id: number } },
): Promise<Task> {
  if (input.card) return remindAboutCard(db, jobs, actor, input.card.entity, input.card.id, { title: input.title, dueAt: input.dueAt });
  const task = { title: input.title, dueAt: input.dueAt, assigneeId: actor.userId };
  return jobs ? createScheduledTask(db, jobs, actor, task) : createTask(db, actor, task);
}
