// A manager answering a customer on his open line: the answer goes out on the customer's own
// channel and chat, from the company's account (the outbox of that channel delivers it), and
// lands on the contact's and the record's timelines. Keyed by the manager's update.
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type ChatThread, chatThreads, type Lead, leads, type OutboxMessageRow, outboxMessages, type User } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, userActor } from '../crm/actor.ts';
import { getCompanyConfig } from '../crm/company-config.ts';
import { getContact } from '../crm/contacts.ts';
import { AccessDeniedError } from '../crm/errors.ts';
import { addTimelineEntry } from '../crm/timeline.ts';
import { enqueueOutbox } from '../messaging/outbox.ts';
import { currentRecordOf, recordNumber, responsibleOf } from './customer-requests.ts';

/** The company's status for a lead a manager has answered (b2b-supply: Enquiry → Identification). */
async function markLeadAnswered(tx: Db, actor: Actor, lead: Lead): Promise<void> {
  const rule = (await getCompanyConfig(tx)).settings.leadStatusWhenAnswered;
  if (!rule || !rule.from.includes(lead.status)) return;
  const [moved] = await tx
    .update(leads)
    .set({ status: rule.to, updatedAt: new Date() })
    .where(and(eq(leads.id, lead.id), inArray(leads.status, rule.from)))
    .returning({ id: leads.id });
  if (moved) await addTimelineEntry(tx, actor, { entityType: 'lead', entityId: lead.id, kind: 'change', data: { status: { from: lead.status, to: rule.to }, reason: 'answered' } });
}

/** Who may answer on a thread: whoever may see the customer's current record (or the contact, without one). */
export async function assertMayAnswer(db: Db, actor: Actor, thread: ChatThread): Promise<void> {
  const record = await currentRecordOf(db, thread.contactId);
  if (record) {
    const ok = canAccessRecord(actor, { responsibleId: responsibleOf(record), observerIds: record.kind === 'deal' ? record.deal.observerIds : [] });
    if (!ok) throw new AccessDeniedError(record.kind, recordNumber(record));
    return;
  }
  await getContact(db, actor, thread.contactId);
}

/**
 * What a manager answers: text, or a file he sent the bot (a document or a photo), by the
 * platform's file id. A file id is good only on the bot account it came through, so a file
 * answer goes only to a customer on that same account (the caller checks).
 */
export type CustomerAnswer = string | { file: { kind: 'document' | 'photo'; fileId: string; fileName?: string; caption?: string } };

/** Whether the answer can go on the thread when it came through `from`: text always; a file id only on its own account. */
export function answerFits(answer: CustomerAnswer, thread: Pick<ChatThread, 'channel' | 'account'>, from: { channel: string; account: string }): boolean {
  return typeof answer === 'string' || (thread.channel === from.channel && thread.account === from.account);
}

function outboundOf(thread: ChatThread, answer: CustomerAnswer) {
  const chat_id = Number(thread.chatId);
  if (typeof answer === 'string') return { kind: 'text' as const, method: 'sendMessage', params: { chat_id, text: answer }, body: answer, file: null };
  const { kind, fileId, fileName, caption } = answer.file;
  const params = { chat_id, [kind]: fileId, ...(caption ? { caption } : {}) };
  return { kind, method: kind === 'document' ? 'sendDocument' : 'sendPhoto', params, body: caption ?? fileName ?? null, file: { kind, fileId, ...(fileName ? { fileName } : {}) } };
}

export async function answerCustomer(db: Db, staff: Pick<User, 'id' | 'roles' | 'name'>, thread: ChatThread, answer: CustomerAnswer, key: string): Promise<OutboxMessageRow> {
  const actor = userActor(staff);
  await assertMayAnswer(db, actor, thread);
  const record = await currentRecordOf(db, thread.contactId);
  const out = outboundOf(thread, answer);
  return db.transaction(async (tx) => {
    const { row, created } = await enqueueOutbox(tx, {
      idempotencyKey: key,
      channel: thread.channel,
      account: thread.account,
      chatId: thread.chatId,
      kind: out.kind,
      method: out.method,
      params: out.params,
      authorId: staff.id,
      ...(thread.identityId !== null ? { contactIdentityId: thread.identityId } : {}),
    });
    // A re-run of the same update: the answer is already on its way and on the timelines.
    if (!created) return row;
    const data = { direction: 'out', channel: thread.channel, outboxId: row.id, by: staff.id, ...(out.file ? { file: out.file } : {}) };
    await addTimelineEntry(tx, actor, { entityType: 'contact', entityId: thread.contactId, kind: 'message', body: out.body, data });
    if (record) await addTimelineEntry(tx, actor, { entityType: record.kind, entityId: recordNumber(record), kind: 'message', body: out.body, data });
    if (record?.kind === 'lead') await markLeadAnswered(tx, actor, record.lead);
    await tx.update(chatThreads).set({ lastOutboundAt: new Date() }).where(eq(chatThreads.id, thread.id));
    return row;
  });
}

/** The thread a staff member's reply belongs to: the relay he answered, found by its Telegram message id. */
export async function threadOfRelay(db: Db, telegramAccount: string, staffChatId: string, repliedMessageId: string): Promise<ChatThread | null> {
  const [row] = await db
    .select({ thread: chatThreads })
    .from(outboxMessages)
    .innerJoin(chatThreads, eq(chatThreads.id, outboxMessages.threadId))
    .where(
      and(
        eq(outboxMessages.channel, 'telegram'),
        eq(outboxMessages.account, telegramAccount),
        eq(outboxMessages.chatId, staffChatId),
        eq(outboxMessages.platformMessageId, repliedMessageId),
        isNotNull(outboxMessages.threadId),
      ),
    )
    .limit(1);
  return row?.thread ?? null;
}
