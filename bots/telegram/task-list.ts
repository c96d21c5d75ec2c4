// /tasks as a message: how many are overdue, due today and in the next days, and a button per
// task (⚠️ overdue, 🕐 today, 📅 upcoming) opening it. Times in the company's zone.
import { DateTime } from 'luxon';
import type { Task } from '../../db/schema/index.ts';
import { zoneNamed } from '../../src/automation/calendar/index.ts';
import { clip } from '../../src/automation/chat-reminder.ts';
import type { TaskAgenda } from '../../src/crm/task-agenda.ts';
import type { InlineButton } from '../../src/messaging/staff-messages.ts';
import type { Lang, Translate } from './i18n.ts';

export const TASK_OPEN = /^tk:(\d{1,12})$/;
export const taskOpenData = (taskId: number) => `tk:${taskId}`;

const local = (at: Date, timeZone: string, lang: Lang) => DateTime.fromJSDate(at, { zone: zoneNamed(timeZone) }).setLocale(lang);

function button(task: Task, mark: string, when: string): InlineButton {
  return { text: clip(`${mark} ${when} · ${task.title.replace(/\s+/g, ' ')}`, 60), callback_data: taskOpenData(task.id) };
}

export function taskListMessage(t: Translate, lang: Lang, agenda: TaskAgenda, timeZone: string, now: Date): { text: string; buttons: InlineButton[][] } {
  const { counts } = agenda;
  const today = local(now, timeZone, lang).toFormat('ccc, d MMMM');
  const lines = [t(lang, 'tasks-head', { today })];
  const rest: string[] = [];
  if (counts.later) rest.push(t(lang, 'tasks-later', { count: counts.later }));
  if (counts.undated) rest.push(t(lang, 'tasks-undated', { count: counts.undated }));
  if (counts.overdue + counts.today + counts.upcoming === 0) {
    lines.push(t(lang, 'tasks-none'));
    if (rest.length) lines.push(rest.join(', '));
    return { text: lines.join('\n'), buttons: [] };
  }
  lines.push(t(lang, 'tasks-overdue', { count: counts.overdue }), t(lang, 'tasks-today', { count: counts.today }), t(lang, 'tasks-upcoming', { count: counts.upcoming }));
  const shownAll = agenda.overdue.length === counts.overdue && agenda.today.length === counts.today && agenda.upcoming.length === counts.upcoming;
  if (!shownAll) lines.push(t(lang, 'tasks-some-shown'));
  if (rest.length) lines.push(rest.join(', '));
  const buttons: InlineButton[][] = [
    ...agenda.overdue.map((k) => [button(k, '⚠️', local(k.dueAt!, timeZone, lang).toFormat('dd.MM HH:mm'))]),
    ...agenda.today.map((k) => [button(k, '🕐', local(k.dueAt!, timeZone, lang).toFormat('HH:mm'))]),
    ...agenda.upcoming.map((k) => [button(k, '📅', local(k.dueAt!, timeZone, lang).toFormat('ccc dd.MM HH:mm'))]),
  ];
  return { text: lines.join('\n'), buttons };
}
