// What every flow gets: the conversation, the Bot API context of the update that started it,
// and its dependencies. Flows read data only through conversation.external (the results are
// replayed, so a flow is deterministic) and change data only through src/ services.
import type { Conversation } from '@grammyjs/conversations';
import type { Context } from 'grammy';
import type { Db } from '../db/client.ts';
import type { MessagingChannel } from '../db/schema/index.ts';
import type { BotContext } from '../bots/telegram/context.ts';
import type { Lang, Translate } from '../bots/telegram/i18n.ts';
import type { StaffNotices } from '../bots/telegram/staff-notices.ts';
import type { BusinessCalendar } from '../src/automation/calendar/index.ts';
import type { Jobs } from '../src/jobs/job-queue.ts';

export type FlowContext = Context;
export type FlowConversation = Conversation<BotContext, FlowContext>;

export interface FlowDeps {
  db: Db;
  /** The channel of the bot the flow runs in: who is writing is known by it. */
  channel: MessagingChannel;
  /** The bot's account on that channel: a file id a staff member sends is good only there. */
  account: string;
  t: Translate;
  /** The company's time zone: dates typed in a flow are days there. */
  timeZone: string;
  notices: StaffNotices;
  /** Task reminders are scheduled here when there is a queue (the sweep catches them anyway). */
  jobs: Jobs | null;
  /** The company's working days: "tomorrow 09:00" on a reminder is the next working morning. */
  calendar: BusinessCalendar;
  /** The clock "завтра" and "через 2 часа" count from (a flow reads it through conversation.external). */
  now: () => Date;
}

/** A staff member as flows keep him: plain JSON, so it replays the same. */
export interface StaffRef {
  id: number;
  name: string;
  roles: string[];
  language: Lang;
}
