// The few texts the WhatsApp bridge writes itself (the option hint, the logout notice), in
// the bot's two languages. Feature texts stay in bots/telegram/locales.
import en from './locales/en.json' with { type: 'json' };
import ru from './locales/ru.json' with { type: 'json' };

export type WaLang = 'ru' | 'en';
export type WaTextKey = keyof typeof ru;

const bundles: Record<WaLang, Record<WaTextKey, string>> = { ru, en };

export function waText(lang: WaLang, key: WaTextKey, vars: Record<string, string | number> = {}): string {
  return bundles[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

/**
 * The hint goes with a text a feature already localized, so the text's script tells its
 * language: Cyrillic means Russian, Latin letters without Cyrillic mean English.
 */
export function guessLang(text: string | undefined): WaLang {
  if (!text) return 'ru';
  if (/[\u0400-\u04FF]/.test(text)) return 'ru';
  return /[A-Za-z]/.test(text) ? 'en' : 'ru';
}
