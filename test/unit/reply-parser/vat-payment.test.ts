import { describe, expect, it } from 'vitest';
import { parse, pick, type Expected } from './helpers.ts';

describe('VAT', () => {
  it.each<[string, Expected]>([
    ['85000 с ндс', { vat: 'with', payment: 'bank' }],
    ['85к без ндс', { vat: 'without', payment: null }],
    ['85 c НДС', { vat: 'with', payment: 'bank' }],
    ['85 +ндс', { vat: 'with', payment: 'bank' }],
    ['102 500 руб. с НДС 20%', { vat: 'with', payment: 'bank' }],
    ['НДС 20% включен, 95000', { vat: 'with', payment: 'bank' }],
    ['85, ндс нет', { vat: 'without' }],
    ['85, нет ндс', { vat: 'without' }],
    ['85 на упрощенке', { vat: 'without' }],
    ['85, мы на УСН', { vat: 'without' }],
    ['не плательщики ндс, 85', { vat: 'without' }],
    ['с НДС не работаем, 85', { vat: 'without' }],
    ['85 с ндс / 75 без ндс', { rate: 85000, vat: 'with' }],
    ['85 нал', { vat: null }],
  ])('%s', (text, expected) => {
    expect(pick(parse(text), expected)).toEqual(expected);
  });
});

describe('payment form', () => {
  it.each<[string, Expected]>([
    ['готов, 90 тыс нал', { payment: 'cash' }],
    ['30000 наличными', { payment: 'cash' }],
    ['85 кэш', { payment: 'cash' }],
    ['85 на руки', { payment: 'cash' }],
    ['85 безнал', { payment: 'bank' }],
    ['88000 б/н', { payment: 'bank' }],
    ['88000 б\\н', { payment: 'bank' }],
    ['110 тыс на р/с', { payment: 'bank' }],
    ['90 по счету', { payment: 'bank' }],
    ['95 т.р. на карту', { payment: 'card' }],
    ['90 картой', { payment: 'card' }],
    ['перевод на карту, 60к', { payment: 'card' }],
    ['шторка 90 на карту сбер', { payment: 'card' }],
    ['Могу завтра, 78 000 руб, безнал без НДС', { vat: 'without', payment: 'bank' }],
    ['с НДС, наличными', { vat: 'with', payment: 'cash' }],
    ['85 нал, 90 безнал', { rate: 85000, payment: 'cash' }],
  ])('%s', (text, expected) => {
    expect(pick(parse(text), expected)).toEqual(expected);
  });
});
