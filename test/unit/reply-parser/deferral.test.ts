import { describe, expect, it } from 'vitest';
import { parse, pick, type Expected } from './helpers.ts';

describe('payment deferral in days', () => {
  it.each<[string, Expected]>([
    ['120 тыр с ндс, отсрочка 10 б/д', { deferral_days: 10, rate: 120000 }],
    ['отсрочка 10 б/д, 120000', { deferral_days: 10, rate: 120000 }],
    ['95 000 с НДС, отсрочка 7 банковских дней', { deferral_days: 7, rate: 95000 }],
    // a range is read as its upper end: the later payment is the one to plan cash for
    ['5-7 банковских дней, 100к', { deferral_days: 7, rate: 100000 }],
    ['низкорамник, 250 000 с ндс, оплата 10-15 банковских дней', { deferral_days: 15, rate: 250000 }],
    ['оплата через 14 дней 90к', { deferral_days: 14, rate: 90000 }],
    ['оплата в течение 5 банковских дней, 90 с ндс', { deferral_days: 5, rate: 90000 }],
    ['отсрочка 2 недели', { deferral_days: 14 }],
    ['отсрочка месяц, 200к с ндс', { deferral_days: 30, rate: 200000 }],
    ['по оригиналам 10 дней, 70к', { deferral_days: 10, rate: 70000 }],
    ['Ставка 90 000 р без НДС, оплата по оригиналам ТТН 10-15 дней', { deferral_days: 15, rate: 90000, vat: 'without' }],
    ['оплата после выгрузки 3 дня, 80к', { deferral_days: 3, rate: 80000 }],
    ['85 тыс. руб., НДС 20%, оплата 5 б.д. по сканам', { deferral_days: 5, rate: 85000 }],
    ['Готовы взять, 102 500 руб. с НДС 20%, оплата по факту выгрузки', { deferral_days: 0, rate: 102500 }],
    ['оплата по факту, 70к нал', { deferral_days: 0 }],
    ['нал на выгрузке 60к', { deferral_days: 0, rate: 60000 }],
    ['предоплата 50к', { deferral_days: 0, rate: 50000 }],
    ['без отсрочки, 80', { deferral_days: 0, rate: 80000 }],
    ['тент 20т, 25.11 на загрузке, 88000 б/н', { deferral_days: null }],
    ['через 3 дня, 85к', { deferral_days: null, ready_at: '2026-11-26' }],
  ])('%s', (text, expected) => {
    expect(pick(parse(text), expected)).toEqual(expected);
  });
});
