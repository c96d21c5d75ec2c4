import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import type { BotContext } from './context.ts';

export type Lang = 'ru' | 'en';
/** A bot text by its key in locales/*.ftl. */
export type Translate = (lang: Lang, key: string, vars?: Record<string, string | number>) => string;

/** Russian by default; English for staff who chose it and for users whose Telegram is in English. */
export function createI18n() {
  return new I18n<BotContext>({
    defaultLocale: 'ru',
    directory: fileURLToPath(new URL('./locales', import.meta.url)),
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => {
      const sender = ctx.crm?.sender;
      if (sender?.kind === 'staff') return sender.user.language;
      return langOfTelegramUser(ctx.from);
    },
  });
}

export const langOfTelegramUser = (from: { language_code?: string } | undefined): Lang => (from?.language_code?.toLowerCase().startsWith('en') ? 'en' : 'ru');

/** For flows and notices, which have no negotiated context: the language is passed in. */
export function translatorOf(i18n: I18n<BotContext>): Translate {
  return (lang, key, vars) => i18n.t(lang, key, vars);
}
