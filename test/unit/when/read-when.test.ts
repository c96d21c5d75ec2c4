import { describe, expect, it } from 'vitest';
import { createBusinessCalendar, defaultCalendarConfig } from '../../../src/automation/calendar/index.ts';
import { formatInZone, MAX_READ_CHARS, readWhen, WhenOptionsError } from '../../../src/automation/when/index.ts';

const now = new Date('2026-04-29T11:20:00+03:00');
const opts = { now, timeZone: 'Europe/Moscow' };

describe('readWhen: what the reminder keeps', () => {
  it.each([
    ['завтра в 10 перезвонить Сидорову', 'завтра в 10', 'перезвонить Сидорову'],
    ['/remind завтра в 10 перезвонить Сидорову', 'завтра в 10', 'перезвонить Сидорову'],
    ['/remind@chatcrm_bot в пятницу после обеда отправить КП', 'в пятницу после обеда', 'отправить КП'],
    ['напомни мне через 2 часа, проверить оплату', 'через 2 часа', 'проверить оплату'],
    ['отгрузка в Казань в среду 9-30', 'в среду 9-30', 'отгрузка в Казань'],
    ['remind me to send the invoice in 3 hours', 'in 3 hours', 'send the invoice'],
    ['через неделю напомнить клиенту про оплату', 'через неделю', 'напомнить клиенту про оплату'],
    ['в пятницу отправить КП к 15:00', 'в пятницу к 15:00', 'отправить КП'],
  ])('%s → matched "%s", rest "%s"', (text, matched, rest) => {
    const r = readWhen(text, opts);
    expect(r.matchedText).toBe(matched);
    expect(r.rest).toBe(rest);
  });

  it('a text naming no time keeps it whole as the rest', () => {
    expect(readWhen('перезвонить Иванову', opts)).toEqual({
      at: null,
      explain: 'no date or time named',
      matchedText: '',
      rest: 'перезвонить Иванову',
      past: false,
    });
  });

  it('explains in short English how it read the text', () => {
    expect(readWhen('через 3 рабочих дня', opts).explain).toBe(
      '3 working days after today on the working calendar (2026-05-05), keeping the time of day 11:20',
    );
    expect(readWhen('в пятницу после обеда', opts).explain).toBe('Friday: the next one after today (2026-05-01), after lunch: 14:00');
    expect(readWhen('3.02', opts).explain).toBe('3.02 without a year: the nearest not in the past (2027-02-03), no time given: 09:00');
    expect(readWhen('в 3', opts).explain).toBe('at 15:00 (a bare 3 read as afternoon) today');
    expect(readWhen('вчера в 15:00', opts).explain).toBe('yesterday (2026-04-28), at 15:00; in the past');
    expect(readWhen('31.02', opts).explain).toBe('no date or time named');
  });
});

describe('readWhen: hostile input', () => {
  it('NUL and other control characters are spaces, not failures', () => {
    const r = readWhen('\u0000завтра\u0007 в\u0000 10\u0000 позвонить', opts);
    expect(formatInZone(r.at!, 'Europe/Moscow')).toBe('2026-04-30T10:00:00+03:00');
    expect(r.rest).toBe('позвонить');
  });

  it('a 100 KB text is read quickly: its start for the time, all of it kept as the rest', () => {
    const tail = ' описание груза'.repeat(7_000);
    const text = `завтра в 10 ${tail}`;
    expect(text.length).toBeGreaterThan(100_000);
    const started = performance.now();
    const r = readWhen(text, opts);
    expect(performance.now() - started).toBeLessThan(500);
    expect(formatInZone(r.at!, 'Europe/Moscow')).toBe('2026-04-30T10:00:00+03:00');
    expect(r.rest.length).toBeGreaterThan(100_000 - 20);
  });

  it('a time beyond the first 4,096 characters is not looked for', () => {
    const r = readWhen(`${'x'.repeat(MAX_READ_CHARS)} завтра в 10`, opts);
    expect(r.at).toBeNull();
    expect(r.rest.endsWith('завтра в 10')).toBe(true);
  });

  it('100 KB of digits, dots and dashes is no time', () => {
    const r = readWhen('12.'.repeat(20_000) + '10-'.repeat(15_000), opts);
    expect(r.at).toBeNull();
  });

  it('refuses an invalid reference or zone by name', () => {
    expect(() => readWhen('завтра', { now: new Date('nope'), timeZone: 'Europe/Moscow' })).toThrow(WhenOptionsError);
    expect(() => readWhen('завтра', { now, timeZone: 'Moscow' })).toThrow(/unknown time zone "Moscow"/);
  });
});

describe('readWhen: the calendar', () => {
  it('counts working days on the company calendar when given one', () => {
    const calendar = createBusinessCalendar({
      ...defaultCalendarConfig(),
      overrides: [{ date: '2026-04-30', working: false }],
    });
    const r = readWhen('через 1 рабочий день', { ...opts, calendar });
    expect(formatInZone(r.at!, 'Europe/Moscow')).toBe('2026-05-04T11:20:00+03:00');
    const d = readWhen('в следующий рабочий день', { ...opts, calendar });
    expect(formatInZone(d.at!, 'Europe/Moscow')).toBe('2026-05-04T09:00:00+03:00');
  });

  it('a named day in a DST gap lands after the gap', () => {
    // 02:30 on 29 March 2026 does not exist in Berlin: the clock jumps from 02:00 to 03:00.
    const r = readWhen('29.03 в 2:30', { now: new Date('2026-03-27T12:00:00+01:00'), timeZone: 'Europe/Berlin' });
    expect(formatInZone(r.at!, 'Europe/Berlin')).toBe('2026-03-29T03:30:00+02:00');
  });
});

describe('readWhen: a range of times', () => {
  it.each([
    ['17.03 с 8:00 до 17:00 инвентаризация', '2027-03-17T08:00:00+03:00', '17.03 с 8:00 до 17:00', 'инвентаризация'],
    ['завтра с 9 до 18 на выезде', '2026-04-30T09:00:00+03:00', 'завтра с 9 до 18', 'на выезде'],
    ['10:00-12:00 совещание', '2026-04-30T10:00:00+03:00', '10:00-12:00', 'совещание'],
    ['review from 2pm to 4pm', '2026-04-29T14:00:00+03:00', 'from 2pm to 4pm', 'review'],
  ])('%s: the start is the time, the end is consumed', (text, at, matched, rest) => {
    const r = readWhen(text, opts);
    expect(formatInZone(r.at!, 'Europe/Moscow')).toBe(at);
    expect(r.matchedText).toBe(matched);
    expect(r.rest).toBe(rest);
    expect(r.explain).toMatch(/until \d\d:\d\d/);
  });
});
