import { fileURLToPath } from 'node:url';
import { I18n } from '@grammyjs/i18n';
import type { BotContext } from './context.ts';

/** Russian by default; English for staff who chose it and for users whose Telegram is in English. */
export function createI18n() {
  return new I18n<BotContext>({
    defaultLocale: 'ru',
    directory: fileURLToPath(new URL('./locales', import.meta.url)),
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => {
      const sender = ctx.crm?.sender;
      if (sender?.kind === 'staff') return sender.user.language;
      return ctx.from?.language_code?.toLowerCase().startsWith('en') ? 'en' : 'ru';
    },
  });
}
