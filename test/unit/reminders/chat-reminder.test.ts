// Reading a reminder typed in the chat, and where a snooze moves it: pure functions on a fixed
// clock (Friday 4 December 2026, 15:30 in Moscow). Expected instants are written out by hand.
import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, defaultCalendarConfig } from '../../../src/automation/calendar/index.ts';
import { readReminder, REMINDER_TEXT_MAX, refuseOutright } from '../../../src/automation/chat-reminder.ts';
import { snoozeTarget } from '../../../src/automation/snooze.ts';

const now = new Date('2026-12-04T15:30:00+03:00');
const opts = { now, timeZone: 'Europe/Moscow' };
const calendar = createBusinessCalendar(defaultCalendarConfig('Europe/Moscow'));

describe('readReminder', () => {
  it.each([
    ['завтра в 10 перезвонить Иванову', '2026-12-05T07:00:00.000Z', 'Перезвонить Иванову', 'завтра в 10'],
    ['/remind@chatcrm_bot в пятницу после обеда отправить КП', '2026-12-11T11:00:00.000Z', 'Отправить КП', 'в пятницу после обеда'],
    ['напомни мне через 2 часа проверить оплату', '2026-12-04T14:30:00.000Z', 'Проверить оплату', 'через 2 часа'],
    ['к концу дня', '2026-12-04T15:00:00.000Z', '', 'к концу дня'],
    ['tomorrow 9am call Bob', '2026-12-05T06:00:00.000Z', 'Call Bob', 'tomorrow 9am'],
    ['25.12 в 15:00 счет', '2026-12-25T12:00:00.000Z', 'Счет', '25.12 в 15:00'],
  ])('%s → %s, "%s"', (text, at, title, matched) => {
    expect(readReminder(text, opts)).toEqual({ kind: 'ok', at: new Date(at), title, matched });
  });

  it('a time gone by is refused with what was understood', () => {
    expect(readReminder('вчера в 10 позвонить', opts)).toEqual({ kind: 'past', at: new Date('2026-12-03T07:00:00Z'), matched: 'вчера в 10', title: 'Позвонить' });
    expect(readReminder('сегодня в 15:30', opts)).toMatchObject({ kind: 'past' });
  });

  it('no time, nothing, too much, characters nobody types', () => {
    expect(readReminder('перезвонить Иванову', opts)).toEqual({ kind: 'no-time', text: 'перезвонить Иванову' });
    expect(readReminder('   ', opts)).toEqual({ kind: 'empty' });
    expect(readReminder('/remind', opts)).toEqual({ kind: 'empty' });
    expect(readReminder('x'.repeat(REMINDER_TEXT_MAX + 1), opts)).toEqual({ kind: 'too-long', max: REMINDER_TEXT_MAX });
    expect(readReminder(`завтра в 10 ${'позвонить '.repeat(10_000)}`, opts)).toEqual({ kind: 'too-long', max: REMINDER_TEXT_MAX });
    expect(readReminder(`завтра в 10 ${'а'.repeat(600)}`, opts)).toEqual({ kind: 'title-too-long', max: 500 });
    for (const bad of ['завтра в 10\u0000 позвонить', 'завтра\u0007 в 10', 'завтра в 10 \ud800 позвонить', 'завтра в 10 \udc00']) {
      expect(readReminder(bad, opts), JSON.stringify(bad)).toEqual({ kind: 'bad-characters' });
      expect(refuseOutright(bad)).toEqual({ kind: 'bad-characters' });
    }
    // Line breaks and tabs are text.
    expect(readReminder('завтра в 10\n\tперезвонить', opts)).toMatchObject({ kind: 'ok', title: 'Перезвонить' });
    expect(refuseOutright('завтра в 10 перезвонить')).toBeNull();
  });
});

describe('snoozeTarget', () => {
  const due = (iso: string) => ({ dueAt: new Date(iso) });

  it('15 minutes and an hour from now for a reminder that has come, from its own time for one set later; to the minute', () => {
    const at = new Date('2026-12-04T15:31:27+03:00');
    expect(snoozeTarget('15m', due('2026-12-04T15:30:00+03:00'), at, calendar).toISOString()).toBe('2026-12-04T12:46:00.000Z');
    expect(snoozeTarget('1h', due('2026-12-04T15:30:00+03:00'), at, calendar).toISOString()).toBe('2026-12-04T13:31:00.000Z');
    expect(snoozeTarget('1h', due('2026-12-05T10:00:00+03:00'), at, calendar).toISOString()).toBe('2026-12-05T08:00:00.000Z');
  });

  it('tomorrow is the next working day at 09:00 on the production calendar', () => {
    const tomorrow = (from: string) => snoozeTarget('tomorrow', due(from), new Date(from), calendar).toISOString();
    // Friday → Monday.
    expect(tomorrow('2026-12-04T17:00:00+03:00')).toBe('2026-12-07T06:00:00.000Z');
    // Tuesday → Wednesday.
    expect(tomorrow('2026-12-08T23:50:00+03:00')).toBe('2026-12-09T06:00:00.000Z');
    // 30 December 2025 → past the transferred 31 December and the New Year holidays to 12 January 2026.
    expect(tomorrow('2025-12-30T19:00:00+03:00')).toBe('2026-01-12T06:00:00.000Z');
    // Friday 31 October 2025 → the working Saturday 1 November.
    expect(tomorrow('2025-10-31T15:00:00+03:00')).toBe('2025-11-01T06:00:00.000Z');
  });
});
