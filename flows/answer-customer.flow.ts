// A manager's answer to a customer, typed after "Answer" on a relay or a card: it goes out on
// the customer's own channel from the company's account.
import { and, desc, eq } from 'drizzle-orm';
import { chatThreads } from '../db/schema/index.ts';
import { getDeal } from '../src/crm/deals.ts';
import { getLead } from '../src/crm/leads.ts';
import { type Actor } from '../src/crm/actor.ts';
import type { Db } from '../db/client.ts';
import { getThread } from '../src/sales/customer-requests.ts';
import { answerCustomer, answerFits, type CustomerAnswer } from '../src/sales/open-line.ts';
import { ask, type FileAnswer } from './ask.ts';
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

/** The asked value as an answer: a text, or a file (a document or a photo, with its caption). */
function customerAnswerOf(value: unknown): CustomerAnswer {
  if (typeof value === 'string') return value;
  const { file, caption } = value as FileAnswer;
  return { file: { kind: file.kind, fileId: file.fileId, ...(file.kind === 'document' && file.name ? { fileName: file.name } : {}), ...(caption ? { caption } : {}) } };
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
    const given = await ask(conversation, ctx, t, deps.timeZone, { text: t(lang, 'answer-ask'), type: 'string', lang, controls: true, withFile: true });
    if (given.kind !== 'value') return void (await ctx.reply(t(lang, 'flow-cancelled')));
    const answer = customerAnswerOf(given.value);
    const sent = await conversation.external(() =>
      settle(
        (async () => {
          const th = await getThread(deps.db, threadId);
          if (!th) return null;
          if (!answerFits(answer, th, deps)) return { refusedFileTo: th.channel };
          await answerCustomer(deps.db, { id: me.id, name: me.name, roles: me.roles as never }, th, answer, `answer:${threadId}:update:${given.updateId}`);
          return { sentTo: th.channel };
        })(),
      ),
    );
    if (!sent.ok) return void (await ctx.reply(refusalText(t, lang, sent.error)));
    if (!sent.value) return void (await ctx.reply(t(lang, 'answer-no-chat')));
    if ('refusedFileTo' in sent.value) return void (await ctx.reply(t(lang, 'answer-file-other-channel', { channel: t(lang, `channel-${sent.value.refusedFileTo}`) })));
    await ctx.reply(t(lang, 'answer-sent', { channel: t(lang, `channel-${sent.value.sentTo}`) }));
  };
}
