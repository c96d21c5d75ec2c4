// A manager's answer to a customer, typed after "Answer" on a relay or a card: it goes out on
// the customer's own channel from the company's account.
import { and, desc, eq } from 'drizzle-orm';
import { chatThreads } from '../db/schema/index.ts';
import { getDeal } from '../src/crm/deals.ts';
import { getLead } from '../src/crm/leads.ts';
import { type Actor } from '../src/crm/actor.ts';
import type { Db } from '../db/client.ts';
import { getThread } from '../src/sales/customer-requests.ts';
import { answerCustomer } from '../src/sales/open-line.ts';
import { ask } from './ask.ts';
import type { FlowContext, FlowConversation, FlowDeps } from './flow-types.ts';
import { refusalText } from './refusals.ts';
import { settle, staffSession } from './staff.ts';

export const ANSWER_CUSTOMER_FLOW = 'answer-customer';

export type AnswerTarget = { threadId: number } | { entity: 'lead' | 'deal' | 'contact'; id: number };

/** The customer's chat: the thread given, or the newest one of the card's contact. */
export async function threadFor(db: Db, actor: Actor, target: AnswerTarget): Promise<number | null> {
  if ('threadId' in target) return target.threadId;
  const contactId = target.entity === 'contact' ? target.id : target.entity === 'deal' ? (await getDeal(db, actor, target.id)).contactId : (await getLead(db, actor, target.id)).contactId;
  if (contactId === null) return null;
  const [t] = await db.select({ id: chatThreads.id }).from(chatThreads).where(and(eq(chatThreads.contactId, contactId))).orderBy(desc(chatThreads.lastInboundAt)).limit(1);
  return t?.id ?? null;
}

export function answerCustomerFlow(deps: FlowDeps) {
  const { t } = deps;
  return async function answerCustomerConversation(conversation: FlowConversation, ctx: FlowContext, target: AnswerTarget) {
    const session = await staffSession(conversation, ctx, deps);
    if (!session) return;
    const { me, lang, actor } = session;
    const thread = await conversation.external(() => settle(threadFor(deps.db, actor, target)));
    if (!thread.ok) return void (await ctx.reply(refusalText(t, lang, thread.error)));
    if (thread.value === null) return void (await ctx.reply(t(lang, 'answer-no-chat')));
    const threadId = thread.value;
    const text = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'answer-ask'), type: 'string', lang, controls: true });
    if (text.kind !== 'value') return void (await ctx.reply(t(lang, 'flow-cancelled')));
    const sent = await conversation.external(() =>
      settle(
        (async () => {
          const th = await getThread(deps.db, threadId);
          if (!th) return null;
          await answerCustomer(deps.db, { id: me.id, name: me.name, roles: me.roles as never }, th, String(text.value), `answer:${threadId}:update:${text.updateId}`);
          return th.channel;
        })(),
      ),
    );
    if (!sent.ok) return void (await ctx.reply(refusalText(t, lang, sent.error)));
    await ctx.reply(sent.value ? t(lang, 'answer-sent', { channel: t(lang, `channel-${sent.value}`) }) : t(lang, 'answer-no-chat'));
  };
}
