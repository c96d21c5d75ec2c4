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

export async function answerCustomer(db: Db, staff: Pick<User, 'id' | 'roles' | 'name'>, thread: ChatThread, text: string, key: string): Promise<OutboxMessageRow> {
  const actor = userActor(staff);
  await assertMayAnswer(db, actor, thread);
  const record = await currentRecordOf(db, thread.contactId);
  return db.transaction(async (tx) => {
    const { row, created } = await enqueueOutbox(tx, {
      idempotencyKey: key,
      channel: thread.channel,
      account: thread.account,
      chatId: thread.chatId,
      kind: 'text',
      method: 'sendMessage',
      params: { chat_id: Number(thread.chatId), text },
      authorId: staff.id,
      ...(thread.identityId !== null ? { contactIdentityId: thread.identityId } : {}),
    });
    // A re-run of the same update: the answer is already on its way and on the timelines.
    if (!created) return row;
    const data = { direction: 'out', channel: thread.channel, outboxId: row.id, by: staff.id };
    await addTimelineEntry(tx, actor, { entityType: 'contact', entityId: thread.contactId, kind: 'message', body: text, data });
    if (record) await addTimelineEntry(tx, actor, { entityType: record.kind, entityId: recordNumber(record), kind: 'message', body: text, data });
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
