import { describe, expect, it } from 'vitest';
import { parse, pick, type Expected } from './helpers.ts';

describe('rate: thousands markers and written-out sums', () => {
  it.each<[string, Expected]>([
    ['85к без ндс', { rate: 85000 }],
    ['85 к без ндс', { rate: 85000 }],
    ['85К', { rate: 85000 }],
    ['85k', { rate: 85000 }],
    ['90 тыс нал', { rate: 90000 }],
    ['72 тыс. руб без НДС', { rate: 72000 }],
    ['85 тысяч рублей', { rate: 85000 }],
    ['120 тыр с ндс', { rate: 120000 }],
    ['85 тр', { rate: 85000 }],
    ['95 т.р. на карту', { rate: 95000 }],
    ['95т.р', { rate: 95000 }],
    ['ставка 85 т. р', { rate: 85000 }],
    ['≈ 90 т.р.', { rate: 90000 }],
    ['85 тыс + ндс', { rate: 85000 }],
    ['100 000 - 105 000', { rate: 105000 }],
    ['примерно 90-95', { rate: 95000 }],
    ['85 штук', { rate: 85000 }],
    ['85 косарей наликом', { rate: 85000 }],
    ['85 000 ₽', { rate: 85000 }],
    ['85000р', { rate: 85000 }],
    ['78 000 руб.', { rate: 78000 }],
    ['102 500 руб. с НДС 20%', { rate: 102500 }],
    ['102.500', { rate: 102500 }],
    ['85,5к', { rate: 85500 }],
    ['1.2 млн', { rate: 1200000 }],
    ['Ставка 2 500 000 руб', { rate: 2500000 }],
    ['Сто тысяч с НДС', { rate: 100000 }],
    ['двадцать пять тысяч', { rate: 25000 }],
    ['сто двадцать тысяч пятьсот', { rate: 120500 }],
    ['девяносто пять', { rate: 95000 }],
    ['за полтинник', { rate: 50000 }],
    ['за сотку', { rate: 100000 }],
  ])('%s', (text, expected) => {
    expect(pick(parse(text), expected)).toEqual(expected);
  });
});

describe('rate: bare numbers', () => {
  it.each<[string, Expected]>([
    ['76', { rate: 76000 }],
    ['76000', { rate: 76000 }],
    ['за 76', { rate: 76000 }],
    ['за 8', { rate: 8000 }],
    ['ставка: 85 000', { rate: 85000 }],
    ['Газель 4м, 1.5т, по городу 8 000', { rate: 8000 }],
    ['80-85 тыс', { rate: 85000 }],
    ['5', { rate: null }],
    ['в 10 буду, 85', { rate: 85000 }],
    ['с 9 до 18', { rate: null }],
    ['буду в 10:30', { rate: null }],
  ])('%s', (text, expected) => {
    expect(pick(parse(text), expected)).toEqual(expected);
  });
});

describe('rate: numbers that are not money', () => {
  it.each<[string, Expected]>([
    ['тент 20т, 90к', { rate: 90000 }],
    ['машина 20 тонн, свободна завтра', { rate: null }],
    ['газель 1.5т свободна, 25 тыс', { rate: 25000 }],
    ['1,5 т 25000', { rate: 25000 }],
    ['тент 82 куба, 90 тыс', { rate: 90000 }],
    ['82 м3 110к', { rate: 110000 }],
    ['33 паллеты 95000', { rate: 95000 }],
    ['ндс 20% 95000', { rate: 95000 }],
    ['ндс 20, 95', { rate: 95000 }],
    ['можем 2 машины по 85', { rate: 85000 }],
    ['98к, 2 машины', { rate: 98000 }],
    ['вес 20 тонн, объем 82, ставка 100', { rate: 100000 }],
    ['реф -18, 100к', { rate: 100000 }],
    ['3 дня пути, 85к', { rate: 85000 }],
    ['в 2026 году цены другие, 85', { rate: 85000 }],
    ['85 000, звоните 89161112233', { rate: 85000 }],
    ['25.11 на загрузке, 88000 б/н', { rate: 88000 }],
    ['30 минут до загрузки, готов', { rate: null }],
    ['Машина 10т, 36 пал, 85000', { rate: 85000 }],
    ['тент 13,6м 33 пал 92к', { rate: 92000 }],
    ['Реф 2 шт по 110 тыс', { rate: 110000 }],
    ['700 км, 55 тыс', { rate: 55000 }],
    ['45к за 2 точки', { rate: 45000 }],
    ['2 рейса по 45', { rate: 45000 }],
    ['85т', { rate: null }],
  ])('%s', (text, expected) => {
    expect(pick(parse(text), expected)).toEqual(expected);
  });
});

describe('rate per km', () => {
  it.each<[string, Expected]>([
    ['ставка 48 р/км', { rate: null, rate_per_km: 48 }],
    ['50 руб/км', { rate: null, rate_per_km: 50 }],
    ['50 рублей за км', { rate: null, rate_per_km: 50 }],
    ['по 45 за километр', { rate: null, rate_per_km: 45 }],
    ['Тариф 48,5 р/км', { rate: null, rate_per_km: 48.5 }],
    ['55 ₽/км, итого 110 000', { rate: 110000, rate_per_km: 55 }],
  ])('%s', (text, expected) => {
    expect(pick(parse(text), expected)).toEqual(expected);
  });
});

describe('counter-offers and turned-down figures', () => {
  it.each<[string, Expected]>([
    ['За 55 не поеду, минимум 62', { kind: 'offer', rate: 62000 }],
    ['за 55 не поеду минимум 62', { kind: 'offer', rate: 62000 }],
    ['55 мало, давайте 62', { kind: 'offer', rate: 62000 }],
    ['не меньше 70', { kind: 'offer', rate: 70000 }],
    ['за 60 нет, за 65 да', { kind: 'offer', rate: 65000 }],
    ['55? серьезно? минимум 65', { kind: 'offer', rate: 65000 }],
    ['за 55 не поеду', { kind: 'decline', rate: null }],
    ['дешевле 80 не поеду', { kind: 'offer', rate: 80000 }],
  ])('%s', (text, expected) => {
    expect(pick(parse(text), expected)).toEqual(expected);
  });
});
