import type { ConversationFlavor } from '@grammyjs/conversations';
import type { I18nFlavor } from '@grammyjs/i18n';
import type { Context } from 'grammy';
import type { InboundMessageRow } from '../../db/schema/index.ts';
import type { Sender } from '../../src/messaging/inbox.ts';
import type { InboundMessage } from '../../src/messaging/message.ts';
import type { UpdateScope } from './update-context.ts';

/** What the inbox middleware learned about the update, for the features after it. */
export interface CrmFlavor {
  crm: {
    inbound: InboundMessage;
    row: InboundMessageRow;
    sender: Sender;
    /** Where the replies sent while handling this update get their outbox keys. */
    scope: UpdateScope;
    /** Set by the error boundary: the message stays stored, marked failed for a later re-run. */
    failure: string | null;
  };
}

export type BotContext = ConversationFlavor<Context & I18nFlavor & CrmFlavor>;
