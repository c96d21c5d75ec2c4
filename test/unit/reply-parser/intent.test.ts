import { describe, expect, it } from 'vitest';
import type { ReplyKind } from '../../../src/logistics/reply-parser/types.ts';
import { parse } from './helpers.ts';

function kindOf(text: string): ReplyKind {
  return parse(text).kind;
}

describe('opt-outs are not declines', () => {
  it.each([
    'стоп',
    'СТОП',
    'Стоп!',
    'не присылайте больше',
    'удалите мой номер из рассылки',
    'удалите из рассылки',
    'отпишите меня',
    'не беспокойте больше',
    'хватит спамить',
    'больше не пишите мне',
    'не нужна ваша рассылка',
    'уберите меня из базы',
    'спам',
    'не надо больше писать',
    'не звоните',
    'Не беспокойте меня больше!!!',
  ])('%s', (text) => {
    expect(kindOf(text)).toBe('optout');
  });
});

describe('declines', () => {
  it.each([
    'Нет',
    'нет, спасибо',
    'не, спасибо',
    'не-а',
    'занят',
    'занят до конца недели',
    'заняты все машины',
    'не актуально',
    'неактуально',
    'Спасибо, не интересно',
    'далеко, не поеду',
    'Это не мое направление, спасибо',
    'в рейсе',
    'на ремонте',
    'мимо',
    'не могу',
    'в пятницу не могу',
    'за 55 не поеду',
    'нельзя',
    'не подойдет',
    'извините, уже загрузился',
    'к сожалению нет',
    'Нет машин',
    'не по пути',
  ])('%s', (text) => {
    expect(kindOf(text)).toBe('decline');
  });
});

describe('redirects vs offers with a phone', () => {
  it.each<[string, ReplyKind, string | null]>([
    ['пишите диспетчеру Алексей 89161234567', 'redirect', '+79161234567'],
    ['мой диспетчер +7 (903) 555-12-34, все вопросы к нему', 'redirect', '+79035551234'],
    ['звоните 8 916 123-45-67', 'redirect', '+79161234567'],
    ['по всем вопросам к логисту Ивану, 89031234567', 'redirect', '+79031234567'],
    ['сам не поеду, звоните брату 89261234567', 'redirect', '+79261234567'],
    ['не пишите, звоните 89161234567', 'redirect', '+79161234567'],
    ['89161234567', 'redirect', '+79161234567'],
    ['пишите диспетчеру', 'redirect', null],
    ['я водитель, решает диспетчер', 'redirect', null],
    ['@ivan_logist', 'redirect', null],
    ['85 000, звоните 89161112233', 'offer', '+79161112233'],
    ['диспетчер 89161234567, ставка 90к', 'offer', '+79161234567'],
    ['завтра могу, 89161234567', 'offer', '+79161234567'],
  ])('%s → %s', (text, kind, phone) => {
    const r = parse(text);
    expect([r.kind, r.phone]).toEqual([kind, phone]);
  });
});

describe('questions, unless a rate is offered', () => {
  it.each<[string, ReplyKind]>([
    ['какой вес груза?', 'question'],
    ['какой вес', 'question'],
    ['сколько паллет?', 'question'],
    ['когда загрузка', 'question'],
    ['куда везем?', 'question'],
    ['откуда забирать', 'question'],
    ['нужна растаможка?', 'question'],
    ['уже нашли машину?', 'question'],
    ['а оплата какая?', 'question'],
    ['что за груз', 'question'],
    ['есть ли гидроборт', 'question'],
    ['готов, какой адрес?', 'question'],
    ['85к, а какой вес?', 'offer'],
    ['когда угодно, 90к', 'offer'],
    ['как обычно, 85', 'offer'],
    ['почему нет', 'offer'],
    ['?', 'question'],
    ['Ставка?', 'question'],
    ['а если за 90?', 'offer'],
    ['ндс?', 'question'],
  ])('%s → %s', (text, kind) => {
    expect(kindOf(text)).toBe(kind);
  });
});

describe('offers without a rate and things we cannot act on', () => {
  it.each<[string, ReplyKind]>([
    ['+', 'offer'],
    ['++', 'offer'],
    ['готов', 'offer'],
    ['беру', 'offer'],
    ['есть машина', 'offer'],
    ['реф есть', 'offer'],
    ['машина 20 тонн, свободна завтра', 'offer'],
    ['не против', 'offer'],
    ['завтра', 'offer'],
    ['сегодня не могу, завтра могу', 'offer'],
    ['да', 'offer'],
    ['ну можно', 'offer'],
    ['подумаю', 'unclear'],
    ['Здравствуйте', 'unclear'],
    ['ок', 'unclear'],
    ['хорошо', 'unclear'],
    ['👍', 'unclear'],
    ['👌', 'unclear'],
    ['спасибо', 'unclear'],
    ['asdfgh', 'unclear'],
    ['...', 'unclear'],
    ['', 'unclear'],
    ['   ', 'unclear'],
  ])('%j → %s', (text, kind) => {
    expect(kindOf(text)).toBe(kind);
  });

  it('unclear replies carry a low confidence', () => {
    for (const text of ['ок', '👍', '', 'qwerty zxcv']) expect(parse(text).confidence).toBeLessThanOrEqual(0.2);
  });

  it('"стоп" wins over a question in the same message, with less certainty', () => {
    const mixed = parse('стоп, а какой вес?');
    expect(mixed.kind).toBe('optout');
    expect(mixed.confidence).toBeLessThan(parse('стоп').confidence);
  });

  it('an offer with a marked rate is more certain than a bare "+"', () => {
    expect(parse('85к без ндс').confidence).toBeGreaterThan(parse('+').confidence);
  });
});
