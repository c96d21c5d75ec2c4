import { describe, expect, it } from 'vitest';
import { parse } from './helpers.ts';

// Reference: Monday 2026-11-23, 09:00 in Moscow.
describe('ready_at: relative words', () => {
  it.each([
    ['сегодня к вечеру буду в Москве, 91 000', '2026-11-23'],
    ['Могу завтра, 78 000', '2026-11-24'],
    ['послезавтра свободен, 65к нал', '2026-11-25'],
    ['после завтра', '2026-11-25'],
    ['с завтрашнего дня свободен', '2026-11-24'],
    ['через два дня смогу, 80 без ндс', '2026-11-25'],
    ['через 3 дня', '2026-11-26'],
    ['через пять дней', '2026-11-28'],
    ['через пару дней', '2026-11-25'],
    ['через день', '2026-11-24'],
    ['через неделю', '2026-11-30'],
    ['через две недели', '2026-12-07'],
    ['через 5 часов буду', '2026-11-23'],
    ['через 20 часов буду', '2026-11-24'],
  ])('%s → %s', (text, expected) => {
    expect(parse(text).ready_at).toBe(expected);
  });
});

describe('ready_at: weekdays', () => {
  it.each([
    ['в среду могу загрузиться за 70', '2026-11-25'],
    ['во вторник', '2026-11-24'],
    ['в ср', '2026-11-25'],
    ['в чт', '2026-11-26'],
    ['изотерм 5т, 30000 наличными, в четверг', '2026-11-26'],
    ['пятница', '2026-11-27'],
    ['пт свободен', '2026-11-27'],
    ['в субботу', '2026-11-28'],
    ['в вс', '2026-11-29'],
    ['в воскресенье', '2026-11-29'],
    // the same weekday as today means next week: a driver free today says "сегодня"
    ['в понедельник', '2026-11-30'],
    ['пн', '2026-11-30'],
    ['в следующую среду', '2026-12-02'],
    ['на следующей неделе', '2026-11-30'],
    ['на выходных', '2026-11-28'],
    ['не раньше четверга', '2026-11-26'],
  ])('%s → %s', (text, expected) => {
    expect(parse(text).ready_at).toBe(expected);
  });
});

describe('ready_at: calendar dates', () => {
  it.each([
    ['тент 20т, 25.11 на загрузке, 88000 б/н', '2026-11-25'],
    ['25.11.2026', '2026-11-25'],
    ['25.11.26', '2026-11-25'],
    ['25/11', '2026-11-25'],
    ['25 ноября могу, ставка 72 тыс. руб без НДС', '2026-11-25'],
    ['25 нояб.', '2026-11-25'],
    ['5 декабря', '2026-12-05'],
    ['25-го', '2026-11-25'],
    ['25го', '2026-11-25'],
    ['30 числа', '2026-11-30'],
    ['с 25-го ноября', '2026-11-25'],
    // past this year's date, so next year
    ['5.01', '2027-01-05'],
    ['05.01.2027', '2027-01-05'],
    ['28 февраля', '2027-02-28'],
    // the 20th has passed this month, so the 20th of December
    ['20-го', '2026-12-20'],
  ])('%s → %s', (text, expected) => {
    expect(parse(text).ready_at).toBe(expected);
  });

  it.each([
    ['31.11'],
    ['13.6 м борт'],
    ['газель 1.5т'],
    ['1.2 млн'],
    ['в 10:30'],
    ['занят до конца недели'],
  ])('%s has no ready date', (text) => {
    expect(parse(text).ready_at).toBeNull();
  });
});

describe('ready_at: the clause that says yes', () => {
  it.each([
    ['сегодня не могу, завтра могу', '2026-11-24'],
    ['занят до пятницы, с субботы свободен', '2026-11-28'],
    ['сейчас в Казани, завтра к обеду буду в Москве, 70 тыс', '2026-11-24'],
  ])('%s → %s', (text, expected) => {
    expect(parse(text).ready_at).toBe(expected);
  });

  it('a date in a refusing clause is not a ready date', () => {
    expect(parse('в пятницу не могу').ready_at).toBeNull();
  });
});

describe('ready_at: company time zone', () => {
  // 22:30 UTC on the 23rd is already the 24th in Moscow (UTC+3).
  const lateEvening = new Date('2026-11-23T22:30:00Z');

  it('"сегодня" is the Moscow date, not the UTC one', () => {
    expect(parse('сегодня', lateEvening, 'Europe/Moscow').ready_at).toBe('2026-11-24');
    expect(parse('сегодня', lateEvening, 'UTC').ready_at).toBe('2026-11-23');
  });

  it('"завтра" follows the zone too', () => {
    expect(parse('завтра', lateEvening, 'Europe/Moscow').ready_at).toBe('2026-11-25');
    expect(parse('завтра', lateEvening, 'Asia/Vladivostok').ready_at).toBe('2026-11-25');
    expect(parse('завтра', lateEvening, 'America/New_York').ready_at).toBe('2026-11-24');
  });

  it('weekdays count from the local weekday', () => {
    // Tuesday 24th in Vladivostok (UTC+10) already; "в среду" is the next day there
    expect(parse('в среду', lateEvening, 'Asia/Vladivostok').ready_at).toBe('2026-11-25');
  });

  it('a year boundary', () => {
    const newYearsEve = new Date('2026-12-31T12:00:00+03:00');
    expect(parse('завтра', newYearsEve).ready_at).toBe('2027-01-01');
    expect(parse('03.01', newYearsEve).ready_at).toBe('2027-01-03');
  });
});
