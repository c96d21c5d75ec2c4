// What a person typed (or sent) as the value of a field of a given type. Pure: the flows ask,
// this reads. Dates are read in the company's time zone relative to `today`.
import type { FieldType } from '../db/schema/index.ts';
import { type FileValue, normalizeFieldValue } from '../src/crm/custom-fields.ts';

export interface IncomingAnswer {
  text?: string;
  file?: FileValue;
}

export type Parsed = { ok: true; value: unknown } | { ok: false };

const RELATIVE_DAYS: Record<string, number> = { сегодня: 0, today: 0, завтра: 1, tomorrow: 1, послезавтра: 2 };

function addDays(isoDay: string, days: number): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** DD.MM.YYYY, DD.MM.YY, YYYY-MM-DD, DD.MM (the next such day), today / tomorrow. */
export function parseDateAnswer(text: string, today: string): string | null {
  const trimmed = text.trim().toLowerCase();
  const s = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? trimmed : trimmed.replace(/[/-]/g, '.');
  if (s in RELATIVE_DAYS) return addDays(today, RELATIVE_DAYS[s]!);
  const short = /^(\d{1,2})\.(\d{1,2})\.?$/.exec(s);
  if (short) {
    const year = Number(today.slice(0, 4));
    for (const y of [year, year + 1]) {
      const candidate = normalizeFieldValue({ type: 'date', options: [] }, `${short[1]}.${short[2]}.${y}`);
      if ('value' in candidate && (candidate.value as string) >= today) return candidate.value as string;
    }
    return null;
  }
  const twoDigitYear = /^(\d{1,2})\.(\d{1,2})\.(\d{2})$/.exec(s);
  const full = twoDigitYear ? `${twoDigitYear[1]}.${twoDigitYear[2]}.20${twoDigitYear[3]}` : s;
  const r = normalizeFieldValue({ type: 'date', options: [] }, full);
  return 'value' in r ? (r.value as string) : null;
}

export function parseAnswer(type: FieldType, options: readonly string[], input: IncomingAnswer, today: string): Parsed {
  if (type === 'file') return input.file ? { ok: true, value: input.file } : { ok: false };
  const text = input.text?.trim();
  if (!text) return { ok: false };
  if (type === 'date') {
    const d = parseDateAnswer(text, today);
    return d ? { ok: true, value: d } : { ok: false };
  }
  if (type === 'enum') {
    // The option's number, as listed, or its text.
    const n = /^(\d{1,2})\.?$/.exec(text);
    if (n && Number(n[1]) >= 1 && Number(n[1]) <= options.length) return { ok: true, value: options[Number(n[1]) - 1] };
  }
  if (type === 'number' || type === 'money') {
    // "120 га", "1 500 000 руб": the number, not the unit.
    const m = /^-?[\d\s\u00a0]+([.,]\d+)?/.exec(text);
    const r = normalizeFieldValue({ type, options: [] }, m ? m[0] : text);
    return 'value' in r ? { ok: true, value: r.value } : { ok: false };
  }
  const r = normalizeFieldValue({ type, options: [...options] }, text);
  return 'value' in r ? { ok: true, value: r.value } : { ok: false };
}
