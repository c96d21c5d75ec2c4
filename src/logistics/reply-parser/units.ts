// Words that, right after a number, say it counts something other than money: tonnes,
// cubic metres, pallets, trucks, hours. "тент 20т, 90 тыс" has one rate, not two.
import type { Token } from './normalize.ts';

const unitWords = new Set([
  // weight
  'т', 'тн', 'тонн', 'тонна', 'тонны', 'тонну', 'тоннах', 'тонник', 'тонника', 'тонники', 'кг', 'килограмм',
  'килограммов', 'ц', 'центнер',
  // volume and size
  'куб', 'куба', 'кубов', 'кубы', 'кубах', 'кубометров', 'кубометра', 'м', 'метр', 'метра', 'метров', 'см', 'мм',
  'л', 'литр', 'литра', 'литров', 'кв',
  // pallets and places
  'пал', 'палл', 'паллет', 'паллеты', 'паллета', 'паллетов', 'паллетах', 'палет', 'палеты', 'палета', 'палетов',
  'европаллет', 'европаллеты', 'европаллета', 'европаллетов', 'поддон', 'поддона', 'поддонов', 'поддоны',
  'мест', 'места', 'место', 'коробок', 'коробки', 'ящиков',
  // counts of vehicles, trips, people, drops
  'машин', 'машина', 'машины', 'машину', 'машинами', 'авто', 'тягач', 'тягача', 'тягачей', 'фур', 'фуры', 'фура',
  'шт', 'раз', 'раза', 'рейс', 'рейса', 'рейсов', 'человек', 'чел', 'грузчика', 'грузчиков', 'точки', 'точек',
  'точка', 'ряд', 'ряда', 'рядов', 'ось', 'оси', 'осей', 'колес', 'колеса',
  // distance and time
  'км', 'километр', 'километра', 'километров', 'ч', 'час', 'часа', 'часов', 'часам', 'часу', 'мин', 'минут',
  'минуты', 'сек', 'дн', 'дней', 'дня', 'день', 'сут', 'суток', 'сутки', 'нед', 'недели', 'неделю', 'недель',
  'мес', 'месяц', 'месяца', 'месяцев', 'год', 'года', 'году', 'лет', 'утра', 'вечера', 'ночи', 'числа', 'числу',
  // other currencies and idioms
  'евро', 'eur', 'usd', 'долларов', 'доллара', 'бакса', 'баксов', 'пудов', 'градусов', 'градуса', 'гр',
  'x', 'х', 'на',
]);

/** Markers that make a number money: thousands ("85к", "95 т.р." is matched separately), millions, roubles. */
export const thousandMarkers: ReadonlySet<string> = new Set([
  'к', 'k', 'тр', 'тыр', 'штук', 'штуки', 'штука', 'косарей', 'косаря', 'косарь', 'косых', 'кусков', 'куска',
  'кусок', 'тысячах', 'тыс', 'тысяч', 'тысячи', 'тысяча', 'тысячу', 'тысячь', 'тысч', 'тыщ', 'тыщи', 'тыща', 'тыщу',
]);
export const millionMarkers: ReadonlySet<string> = new Set(['млн', 'лям', 'ляма', 'лямов', 'миллион', 'миллиона', 'миллионов']);
export const rubleMarkers: ReadonlySet<string> = new Set(['р', 'руб', 'рублей', 'рубля', 'рубль', 'рублях', 'рэ', 'rub', 'rur']);

/** True when token k is a money marker, so the number before it is a sum ("1.2 млн" is not 1 February). */
export function moneyMarkerAt(tokens: readonly Token[], k: number): boolean {
  const t = tokens[k];
  if (!t || t.gap === 2) return false;
  if (t.kind === 'sym') return t.text === '₽';
  // a spaced "к" is as often "towards": "25.11 к 10 утра"
  if ((t.text === 'к' || t.text === 'k') && t.gap !== 0) return false;
  return thousandMarkers.has(t.text) || millionMarkers.has(t.text) || rubleMarkers.has(t.text);
}

const unitSymbols = new Set(['%', '°', '$', '€', '³', '²', '×', '*']);

const monthStems = [
  'январ', 'феврал', 'март', 'апрел', 'мая', 'май', 'июн', 'июл', 'август', 'сентябр', 'октябр', 'ноябр',
  'декабр', 'янв', 'фев', 'апр', 'авг', 'сен', 'окт', 'нояб', 'дек',
];

/** Returns the index of the last unit token when the tokens after a number name a non-money unit. */
export function unitAfter(tokens: readonly Token[], next: number): number {
  const t = tokens[next];
  if (!t || t.gap === 2) return -1;
  if (t.kind === 'sym') {
    if (unitSymbols.has(t.text)) return next;
    // "13.6х2.45" style dimensions
    return -1;
  }
  if (t.kind !== 'word') return -1;
  if (t.text === 'м') {
    // "м3", "м³" and plain metres alike
    const after = tokens[next + 1];
    if (after && after.gap === 0 && (after.text === '3' || after.text === '³')) return next + 1;
    return next;
  }
  if (t.text === 'на') {
    // "13.6 на 2.45" dimensions; "на карту" is not a unit
    const after = tokens[next + 1];
    return after && after.kind === 'num' ? next : -1;
  }
  if (unitWords.has(t.text)) return next;
  if (t.text.length >= 3) {
    for (const stem of monthStems) if (t.text.startsWith(stem)) return next;
    if (t.text.startsWith('процент') || t.text.startsWith('тонн') || t.text.startsWith('паллет')) return next;
  }
  return -1;
}
