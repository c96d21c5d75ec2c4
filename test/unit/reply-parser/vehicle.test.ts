import { describe, expect, it } from 'vitest';
import type { VehicleKind } from '../../../src/logistics/reply-parser/types.ts';
import { parse } from './helpers.ts';

describe('vehicle body type', () => {
  it.each<[string, VehicleKind | null]>([
    ['тент 82 куба, 90 тыс', 'tent'],
    ['тентованный полуприцеп', 'tent'],
    ['шторка 90 на карту', 'tent'],
    ['реф есть, ставка 130 000 с НДС', 'ref'],
    ['Рефрижератор -18', 'ref'],
    ['рефка свободна', 'ref'],
    ['изотерм 5т, 30000 наличными', 'isotherm'],
    ['бортовой 13.6, 75к', 'flatbed'],
    ['борт 20т', 'flatbed'],
    ['площадка 13.6 м', 'flatbed'],
    ['контейнеровоз 40 фут, 140к', 'container'],
    ['контейнер 20', 'container'],
    ['цистерна 30 куб', 'tanker'],
    ['наливник 30 куб', 'tanker'],
    ['самосвал 25т, 45 тыр', 'tipper'],
    ['трал свободен', 'lowboy'],
    ['низкорамник, 250 000', 'lowboy'],
    ['газель 1.5т свободна, 25 тыс', 'van'],
    ['Фургон 3т', 'van'],
    ['цельнометалл 3т', 'van'],
    ['еврофура, завтра', 'tent'],
    ['фура есть, 80', 'tent'],
    ['реф или тент, 100к', 'ref'],
    ['фура-реф', 'ref'],
    ['буду на площадке в 10', null],
    ['85к без ндс', null],
    ['реформа цен', null],
  ])('%s → %s', (text, vehicle) => {
    expect(parse(text).vehicle).toBe(vehicle);
  });
});
