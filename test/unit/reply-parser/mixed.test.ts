import { describe, expect, it } from 'vitest';
import { parse, pick, type Expected } from './helpers.ts';

const nothing: Required<Expected> = {
  kind: 'unclear',
  rate: null,
  rate_per_km: null,
  vat: null,
  payment: null,
  deferral_days: null,
  ready_at: null,
  vehicle: null,
  phone: null,
};

/** Whole replies as drivers send them; every contract field is asserted. */
describe('realistic replies, every field', () => {
  it.each<[string, Expected]>([
    [
      'Добрый день! Тент 20т 82куба, завтра могу загрузиться. Ставка 95 000 руб с НДС, отсрочка 7 б/д',
      { kind: 'offer', rate: 95000, vat: 'with', payment: 'bank', deferral_days: 7, ready_at: '2026-11-24', vehicle: 'tent' },
    ],
    [
      'Здравствуйте.\nреф -18, 33 паллеты\nготов в среду\n120к безнал',
      { kind: 'offer', rate: 120000, payment: 'bank', ready_at: '2026-11-25', vehicle: 'ref' },
    ],
    ['МОГУ ЗАВТРА 85 БЕЗ НДС НАЛ', { kind: 'offer', rate: 85000, vat: 'without', payment: 'cash', ready_at: '2026-11-24' }],
    ['🚛 тент 90к 👍', { kind: 'offer', rate: 90000, vehicle: 'tent' }],
    ['👍 завтра 🚚', { kind: 'offer', ready_at: '2026-11-24' }],
    [
      'Трал свободен с 25.11, ставка по договоренности',
      { kind: 'offer', ready_at: '2026-11-25', vehicle: 'lowboy' },
    ],
    [
      'самосвал 25т, 45 тыр\nв чт',
      { kind: 'offer', rate: 45000, ready_at: '2026-11-26', vehicle: 'tipper' },
    ],
    [
      'наливник 30 куб, 110 тыс без ндс на р/с',
      { kind: 'offer', rate: 110000, vat: 'without', payment: 'bank', vehicle: 'tanker' },
    ],
    [
      'бортовой 13.6, 75к, по факту выгрузки',
      { kind: 'offer', rate: 75000, deferral_days: 0, vehicle: 'flatbed' },
    ],
    [
      'цельнометалл 3т завтра с утра 15к кэш',
      { kind: 'offer', rate: 15000, payment: 'cash', ready_at: '2026-11-24', vehicle: 'van' },
    ],
    [
      'Контейнеровоз 40фут, 140 000р. с НДС, оплата 5-7 банковских дней, 26.11',
      { kind: 'offer', rate: 140000, vat: 'with', payment: 'bank', deferral_days: 7, ready_at: '2026-11-26', vehicle: 'container' },
    ],
    [
      'Газель 4м 1.5т\nсегодня после обеда\n8 000 на карту',
      { kind: 'offer', rate: 8000, payment: 'card', ready_at: '2026-11-23', vehicle: 'van' },
    ],
    [
      'за 55 не поеду, минимум 62, нал, послезавтра',
      { kind: 'offer', rate: 62000, payment: 'cash', ready_at: '2026-11-25' },
    ],
    [
      'Я водитель, по ставке к диспетчеру: +7 (915) 000-11-22',
      { kind: 'redirect', phone: '+79150001122' },
    ],
    [
      'реф -20, 25 ноября, 48 р/км',
      { kind: 'offer', rate_per_km: 48, ready_at: '2026-11-25', vehicle: 'ref' },
    ],
    [
      'изотерм 5т, тридцать тысяч наличными, в четверг',
      { kind: 'offer', rate: 30000, payment: 'cash', ready_at: '2026-11-26', vehicle: 'isotherm' },
    ],
    ['сегодня занят, в следующую среду могу', { kind: 'offer', ready_at: '2026-12-02' }],
    ['Спасибо, не интересно. Удачи!', { kind: 'decline' }],
    ['стоп, не пишите больше', { kind: 'optout' }],
    ['какой вес груза?\nесли до 20т, то 90к', { kind: 'offer', rate: 90000 }],
    ['Вес какой? Тент 20т есть', { kind: 'question', vehicle: 'tent' }],
    [
      '2 машины тент по 85 000 руб, нал на выгрузке, 8 916 555 44 33 Сергей',
      { kind: 'offer', rate: 85000, payment: 'cash', deferral_days: 0, vehicle: 'tent', phone: '+79165554433' },
    ],
    [
      'ставка сто двадцать тысяч с ндс отсрочка десять банковских дней',
      { kind: 'offer', rate: 120000, vat: 'with', payment: 'bank', deferral_days: 10 },
    ],
    ['ОК', { kind: 'unclear' }],
    ['Ок, спасибо 👍', { kind: 'unclear' }],
  ])('%j', (text, expected) => {
    const full = { ...nothing, ...expected };
    expect(pick(parse(text), full)).toEqual(full);
  });
});

describe('keyboard noise', () => {
  it.each<[string, Expected]>([
    ['за\u0301втра 85к', { ready_at: '2026-11-24', rate: 85000 }],
    ['102\u00a0500 руб', { rate: 102500 }],
    ['102\u202f500 ₽', { rate: 102500 }],
    ['85к бeз ндс', { vat: 'without' }],
    ['85 c НДС', { vat: 'with' }],
    ['ЗАВТРА 90К НАЛ', { ready_at: '2026-11-24', rate: 90000, payment: 'cash' }],
    ['Ёлки, занят', { kind: 'decline' }],
    ['85000\r\nзавтра', { rate: 85000, ready_at: '2026-11-24' }],
    ['85 — 90 тыс', { rate: 90000 }],
  ])('%j', (text, expected) => {
    expect(pick(parse(text), expected)).toEqual(expected);
  });
});

describe('robustness', () => {
  it('a long pasted text is cut, still parsed from its start, and says so', () => {
    const text = `85к без ндс, завтра. ${'бла '.repeat(5000)}`;
    const started = performance.now();
    const r = parse(text);
    expect(performance.now() - started).toBeLessThan(200);
    expect([r.kind, r.rate, r.vat, r.ready_at]).toEqual(['offer', 85000, 'without', '2026-11-24']);
    expect(r.explanations.some((e) => e.field === 'text' && e.value.includes('первые 2000'))).toBe(true);
    expect(r.confidence).toBeLessThan(parse('85к без ндс, завтра').confidence);
  });

  it('pathological inputs stay fast', () => {
    const inputs = [
      '9'.repeat(10_000),
      '1 '.repeat(5_000),
      '1.'.repeat(5_000),
      '+7 ('.repeat(2_500),
      'не '.repeat(3_000),
      'сто '.repeat(2_500),
      '8-'.repeat(5_000),
      '👍'.repeat(5_000),
    ];
    for (const text of inputs) {
      const started = performance.now();
      parse(text);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });

  it('a surrogate pair at the cut is not split', () => {
    const text = `${'а'.repeat(1999)}👍 85к`;
    expect(() => parse(text)).not.toThrow();
  });
});
