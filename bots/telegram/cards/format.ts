// A field value as a card line shows it.
import type { FieldType } from '../../../db/schema/index.ts';
import type { Lang, Translate } from '../i18n.ts';

export function formatValue(type: FieldType, value: unknown, lang: Lang, t: Translate): string {
  if (value === null || value === undefined || value === '') return '—';
  switch (type) {
    case 'boolean':
      return t(lang, value ? 'ask-yes' : 'ask-no');
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
      return m ? `${m[3]}.${m[2]}.${m[1]}` : String(value);
    }
    case 'money':
      return formatMoney(String(value));
    case 'file': {
      const f = value as { name?: string; fileId?: string };
      return `📎 ${f.name ?? t(lang, 'card-file')}`;
    }
    default:
      return String(value);
  }
}

export function formatMoney(amount: string | number | null, currency = 'RUB'): string {
  if (amount === null || amount === '') return '—';
  const n = Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  const whole = Math.round(n * 100) / 100;
  const text = whole.toLocaleString('ru-RU', { minimumFractionDigits: 0, maximumFractionDigits: 2 }).replace(/\u00a0/g, ' ');
  return currency === 'RUB' ? `${text} ₽` : `${text} ${currency}`;
}
