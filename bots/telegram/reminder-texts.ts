// The messages of reminders: the answer to /remind (its time in words and digits, with
// buttons to change it), the reminder when it comes (snooze, done), a task opened from /tasks.
// Buttons carry the task and the due time they were shown with (`re:` on the answer to
// /remind, `rd:` on a reminder or a task), so a press on an outdated message changes nothing.
import { DateTime } from 'luxon';
import type { Task } from '../../db/schema/index.ts';
import { zoneNamed } from '../../src/automation/calendar/index.ts';
import { dueSeconds } from '../../src/automation/snooze.ts';
import { shorten } from '../../src/messaging/record-inbound.ts';
import type { InlineButton } from '../../src/messaging/staff-messages.ts';
import type { Lang, Translate } from './i18n.ts';

/** "сб, 5 декабря, 10:00" (the year too when it is not this year's). */
export function formatWhen(at: Date, lang: Lang, timeZone: string, now: Date): string {
  const zone = zoneNamed(timeZone);
  const local = DateTime.fromJSDate(at, { zone }).setLocale(lang);
  const sameYear = local.year === DateTime.fromJSDate(now, { zone }).year;
  return local.toFormat(sameYear ? 'ccc, d MMMM, HH:mm' : 'ccc, d MMMM yyyy, HH:mm');
}

export type EchoAction = '1h' | 'tm' | 'at' | 'x';
export type ReminderAction = '15m' | '1h' | 'tm' | 'at' | 'ok';

const data = (prefix: 're' | 'rd', task: Pick<Task, 'id' | 'dueAt'>, action: string) => `${prefix}:${task.id}:${dueSeconds(task.dueAt)}:${action}`;

/** Callback data of both kinds: prefix, task id, shown due time in seconds, action. */
export const REMINDER_BUTTON = /^(re|rd):(\d{1,12}):(\d{1,12}):(15m|1h|tm|at|x|ok)$/;

export interface ReminderMessage {
  text: string;
  buttons: InlineButton[][];
}

/** The answer to /remind and to the card's ⏰: when, what, and buttons to change it. */
export function echoMessage(t: Translate, lang: Lang, task: Task, timeZone: string, now: Date): ReminderMessage {
  const when = task.dueAt ? formatWhen(task.dueAt, lang, timeZone, now) : '—';
  return {
    text: t(lang, 'remind-set', { when, title: task.title, number: task.id }),
    buttons: [
      [
        { text: t(lang, 'btn-remind-plus-hour'), callback_data: data('re', task, '1h') },
        { text: t(lang, 'btn-remind-tomorrow'), callback_data: data('re', task, 'tm') },
      ],
      [
        { text: t(lang, 'btn-remind-other-time'), callback_data: data('re', task, 'at') },
        { text: t(lang, 'btn-remind-cancel'), callback_data: data('re', task, 'x') },
      ],
    ],
  };
}

/** Snooze, another time, done (and the record's card when there is one). */
export function reminderButtons(t: Translate, lang: Lang, task: Task): InlineButton[][] {
  const card = cardData(task);
  return [
    [
      { text: t(lang, 'btn-snooze-15m'), callback_data: data('rd', task, '15m') },
      { text: t(lang, 'btn-snooze-1h'), callback_data: data('rd', task, '1h') },
      { text: t(lang, 'btn-remind-tomorrow'), callback_data: data('rd', task, 'tm') },
    ],
    [{ text: t(lang, 'btn-remind-other-time'), callback_data: data('rd', task, 'at') }],
    [...(card ? [{ text: t(lang, 'btn-card'), callback_data: card }] : []), { text: t(lang, 'btn-task-done'), callback_data: data('rd', task, 'ok') }],
  ];
}

/** The reminder as it comes when the task falls due. */
export function dueText(t: Translate, lang: Lang, task: Task): string {
  return t(lang, 'notice-task-due', { title: task.title, number: task.id }) + (task.description ? `\n${shorten(task.description, 1000)}` : '');
}

/** A task opened from /tasks: what, when, how overdue, with the reminder's buttons. */
export function taskText(t: Translate, lang: Lang, task: Task, timeZone: string, now: Date): string {
  const when = task.dueAt ? formatWhen(task.dueAt, lang, timeZone, now) : t(lang, 'tasks-no-due');
  const late = task.dueAt && task.dueAt.getTime() < now.getTime() ? ` ${t(lang, 'tasks-overdue-mark')}` : '';
  return `${t(lang, 'task-head', { number: task.id, title: task.title })}\n${t(lang, 'task-due', { when })}${late}` + (task.description ? `\n${shorten(task.description, 1000)}` : '');
}

/** The open button of the card the task is about: deals, leads and contacts have one. */
export function cardData(task: Pick<Task, 'entityType' | 'entityId'>): string | null {
  const link = task.entityType === 'deal' || task.entityType === 'lead' || task.entityType === 'contact' ? task.entityType : null;
  return link && task.entityId ? `${link[0]}:${task.entityId}:open` : null;
}
