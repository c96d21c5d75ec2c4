// The body type the driver names. The first specific mention wins; a generic "фура" counts
// only when nothing more specific is said, since most of them are tented semitrailers.
import type { Analysis } from './normalize.ts';
import type { VehicleKind } from './types.ts';

export interface VehicleMention {
  value: VehicleKind;
  first: number;
  last: number;
}

const stems: ReadonlyArray<readonly [string, VehicleKind]> = [
  ['тент', 'tent'], ['шторк', 'tent'], ['штора', 'tent'], ['шторн', 'tent'],
  ['рефрижератор', 'ref'], ['рефрежиратор', 'ref'], ['реф', 'ref'], ['холодильник', 'ref'],
  ['изотерм', 'isotherm'], ['изотер', 'isotherm'],
  ['бортов', 'flatbed'], ['борт', 'flatbed'], ['площадк', 'flatbed'], ['платформ', 'flatbed'],
  ['контейнер', 'container'],
  ['цистерн', 'tanker'], ['автоцистерн', 'tanker'], ['наливник', 'tanker'], ['бензовоз', 'tanker'],
  ['самосвал', 'tipper'],
  ['низкорам', 'lowboy'], ['трал', 'lowboy'],
  ['газел', 'van'], ['фургон', 'van'], ['цельнометалл', 'van'], ['цмф', 'van'], ['каблук', 'van'],
];

/** Words that start like a body type but are something else. */
const falseFriends = ['реформ', 'рефер', 'реферат', 'бортик', 'трала-', 'транс', 'тентак', 'штормов', 'платформа-'];
const genericTent = ['еврофур', 'фура', 'фуру', 'фуры', 'фурой'];
/** "на площадке", "с площадки": the loading yard, not a flatbed. */
const placePrepositions = new Set(['на', 'с', 'со', 'по', 'у', 'до']);

function kindOf(word: string): VehicleKind | null {
  for (const f of falseFriends) if (word.startsWith(f)) return null;
  for (const [stem, kind] of stems) {
    if (!word.startsWith(stem)) continue;
    // "трал" and "борт" as whole words or their forms, not "трамвай" or "бортпроводник"
    if (stem === 'трал' && !/^трал(а|ом|ы|у|ов)?$/.test(word)) continue;
    if (stem === 'борт' && !/^борт(а|ом|у)?$/.test(word)) continue;
    if (stem === 'реф' && !/^реф(а|ом|у|ы|ка|ку|кой|ки)?$/.test(word)) continue;
    return kind;
  }
  return null;
}

export function findVehicle(a: Analysis): VehicleMention | null {
  let generic: VehicleMention | null = null;
  const { tokens } = a;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || t.text.length < 3) continue;
    const kind = kindOf(t.text);
    if (kind) {
      if ((t.text.startsWith('площадк') || t.text.startsWith('платформ')) && placePrepositions.has(tokens[i - 1]?.text ?? '')) {
        continue;
      }
      return { value: kind, first: i, last: i };
    }
    if (!generic) for (const g of genericTent) if (t.text.startsWith(g)) generic = { value: 'tent', first: i, last: i };
  }
  return generic;
}
