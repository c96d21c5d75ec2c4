// A customer writing to the company: the open line (thread) of his chat, the record his
// messages belong to (his open deal, else his open lead), and a new lead when he has neither.
// Called from the bots with the system as the actor; every step is idempotent per inbound
// message, so a re-run after a crash finds what the first run made.
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { type ChatThread, chatThreads, type Contact, type Deal, deals, type Lead, leads, type MessagingChannel, stages } from '../../db/schema/index.ts';
import { systemActor } from '../crm/actor.ts';
import { getCompanyConfig } from '../crm/company-config.ts';
import { createLead } from '../crm/leads.ts';
import { addInboundTimelineEntry } from '../crm/timeline.ts';
import type { InboundMessage } from '../messaging/message.ts';

export type CustomerRecord = { kind: 'deal'; deal: Deal } | { kind: 'lead'; lead: Lead };

/** The customer's chat with the company on this channel and account, made on his first message. */
export async function ensureThread(db: Db, msg: Pick<InboundMessage, 'channel' | 'account' | 'chatId'>, contactId: number, identityId: number | null): Promise<ChatThread> {
  const [row] = await db
    .insert(chatThreads)
    .values({ channel: msg.channel, account: msg.account, chatId: msg.chatId, contactId, identityId, lastInboundAt: new Date() })
    .onConflictDoUpdate({ target: [chatThreads.channel, chatThreads.account, chatThreads.chatId], set: { lastInboundAt: new Date(), contactId } })
    .returning();
  return row!;
}

export async function getThread(db: Db, id: number): Promise<ChatThread | undefined> {
  const [row] = await db.select().from(chatThreads).where(eq(chatThreads.id, id));
  return row;
}

/** The newest open deal of the contact, else the newest lead still open (not converted, not closed). */
export async function currentRecordOf(db: Db, contactId: number): Promise<CustomerRecord | null> {
  const [deal] = await db
    .select({ deal: deals })
    .from(deals)
    .innerJoin(stages, eq(stages.id, deals.stageId))
    .where(and(eq(deals.contactId, contactId), eq(stages.kind, 'open')))
    .orderBy(desc(deals.id))
    .limit(1);
  if (deal) return { kind: 'deal', deal: deal.deal };
  const config = await getCompanyConfig(db);
  const openStatuses = config.leadStatuses.filter((s) => s.kind === 'open').map((s) => s.key);
  const [lead] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.contactId, contactId), isNull(leads.convertedDealId), inArray(leads.status, openStatuses)))
    .orderBy(desc(leads.id))
    .limit(1);
  return lead ? { kind: 'lead', lead } : null;
}

const requestKeyOf = (msg: Pick<InboundMessage, 'channel' | 'account' | 'externalId'>) => `${msg.channel}:${msg.account}:${msg.externalId}`;

/** The lead this very message opened, when it did (a re-run of its update finds it). */
export async function leadOpenedBy(db: Db, msg: InboundMessage): Promise<Lead | null> {
  const [lead] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.source, await sourceForChannel(db, msg.channel)), eq(leads.externalKey, requestKeyOf(msg))));
  return lead ?? null;
}

/** The lead source a channel's requests get: the channel's own key when the company lists it. */
export async function sourceForChannel(db: Db, channel: MessagingChannel): Promise<string> {
  const config = await getCompanyConfig(db);
  return config.leadSources.find((s) => s.key === channel)?.key ?? config.leadSources[0]!.key;
}

/**
 * A new request from a customer who has no open lead or deal: a lead from his channel, tied to
 * his contact, with his first message on its timeline. Keyed by the inbound message, so a
 * re-run returns the same lead.
 */
export async function openCustomerLead(
  db: Db,
  input: { contact: Contact; msg: InboundMessage; inboundId: number; title: string },
): Promise<{ lead: Lead; created: boolean }> {
  const source = await sourceForChannel(db, input.msg.channel);
  const { lead, created } = await createLead(db, systemActor, {
    title: input.title.slice(0, 500),
    source,
    externalKey: requestKeyOf(input.msg),
    contactId: input.contact.id,
    comment: input.msg.text ?? null,
  });
  if (created) await recordCustomerMessageOn(db, { kind: 'lead', lead }, input.msg, input.inboundId);
  return { lead, created };
}

/** The customer's message on the lead or deal card's timeline (the contact's has it already). */
export async function recordCustomerMessageOn(db: Db, record: CustomerRecord, msg: InboundMessage, inboundId: number): Promise<void> {
  await addInboundTimelineEntry(db, systemActor, {
    entityType: record.kind,
    entityId: record.kind === 'deal' ? record.deal.id : record.lead.id,
    kind: msg.file ? 'file' : 'message',
    body: msg.text ?? null,
    data: { direction: 'in', channel: msg.channel, inboundId, kind: msg.kind, ...(msg.file ? { file: msg.file } : {}) },
  });
}

export const recordNumber = (r: CustomerRecord) => (r.kind === 'deal' ? r.deal.id : r.lead.id);
export const responsibleOf = (r: CustomerRecord) => (r.kind === 'deal' ? r.deal.responsibleId : r.lead.responsibleId);
