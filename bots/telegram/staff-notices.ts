// What the system tells staff on Telegram by itself: a new customer request (to the managers,
// with a button to take it), a customer's message on an open line (to the responsible, as a
// relay a reply goes back from), a task that fell due, an answer that could not be delivered
// (to its author). Texts from the locales in the staff
// member's language; every notice is an outbox row keyed by its cause.
import { and, arrayOverlaps, eq, isNotNull } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import { type ChatThread, contacts, type Lead, leads, type OutboxMessageRow, type Task, users } from '../../db/schema/index.ts';
import { contactDisplayName } from '../../src/crm/contacts.ts';
import { getCompanyConfig } from '../../src/crm/company-config.ts';
import { loadFieldDefs } from '../../src/crm/custom-fields.ts';
import type { InboundMessage } from '../../src/messaging/message.ts';
import { shorten } from '../../src/messaging/record-inbound.ts';
import { enqueueStaffMessage, type Reachable, reachableStaff } from '../../src/messaging/staff-messages.ts';
import { type CustomerRecord, recordNumber, responsibleOf } from '../../src/sales/customer-requests.ts';
import { formatValue } from './cards/format.ts';
import type { Lang, Translate } from './i18n.ts';
import { dueText, reminderButtons } from './reminder-texts.ts';

export interface StaffNotices {
  /** A new request announced to the managers; how many were told. */
  newLead(leadId: number): Promise<number>;
  /** The customer's message to the responsible manager; 'unassigned' when nobody has the record yet. */
  relay(input: { thread: ChatThread; record: CustomerRecord; msg: InboundMessage; inboundId: number }): Promise<'relayed' | 'unassigned' | 'unreachable'>;
  /** `tx`: the transaction that marked the task reminded, so the notice is queued with the mark. */
  taskDue(task: Task, tx?: Db): Promise<boolean>;
  /** A message given up on (by its deliverer, or reported failed by the platform later): its author (an answer to a customer) is told why, with what he wrote. */
  undelivered(row: OutboxMessageRow): Promise<boolean>;
}

/** Why a message was not delivered, as the author should read it (the error as the deliverer stored it). */
export function undeliveredReason(error: string | null): 'undelivered-window' | 'undelivered-unreachable' | 'undelivered-other' | 'undelivered-unknown' {
  if (!error?.trim()) return 'undelivered-unknown';
  if (/\b131047\b/.test(error)) return 'undelivered-window';
  if (error.startsWith('unreachable:')) return 'undelivered-unreachable';
  return 'undelivered-other';
}

export function createStaffNotices(deps: { db: Db; t: Translate; telegramAccount: string | null; logger: Logger; wake?: () => void }): StaffNotices {
  const { db, t } = deps;
  const account = deps.telegramAccount;
  const log = deps.logger.child({ notices: 'staff' });
  const sendTo = async (to: Reachable, msg: Parameters<typeof enqueueStaffMessage>[3], via: Db = db) => {
    if (!account) {
      log.warn({ user: to.id, key: msg.key }, 'no Telegram bot configured: a staff notice cannot be sent');
      return false;
    }
    const row = await enqueueStaffMessage(via, account, to, msg);
    deps.wake?.();
    return row !== null;
  };

  return {
    async newLead(leadId) {
      const [row] = await db.select({ lead: leads, contact: contacts }).from(leads).leftJoin(contacts, eq(contacts.id, leads.contactId)).where(eq(leads.id, leadId));
      if (!row) return 0;
      const staff = await db
        .select({ id: users.id, telegramUserId: users.telegramUserId, language: users.language, name: users.name })
        .from(users)
        .where(and(eq(users.isActive, true), isNotNull(users.telegramUserId), arrayOverlaps(users.roles, ['manager', 'supervisor'])));
      const body = await leadSummary(db, t, row.lead, row.contact ? contactDisplayName(row.contact) : null);
      let told = 0;
      for (const u of staff) {
        const lang = u.language;
        const ok = await sendTo(u, {
          key: `lead-new:${leadId}`,
          text: `${t(lang, 'notice-new-lead', { number: leadId })}\n${body(lang)}`,
          buttons: [[{ text: t(lang, 'btn-take'), callback_data: `l:${leadId}:take` }, { text: t(lang, 'btn-open'), callback_data: `l:${leadId}:open` }]],
        });
        if (ok) told += 1;
      }
      if (told === 0) log.warn({ lead: leadId }, 'a new lead reached no manager: nobody with a linked Telegram');
      return told;
    },

    async relay({ thread, record, msg, inboundId }) {
      const responsibleId = responsibleOf(record);
      if (responsibleId === null) return 'unassigned';
      const to = await reachableStaff(db, responsibleId);
      if (!to) return 'unreachable';
      const [c] = await db.select().from(contacts).where(eq(contacts.id, thread.contactId));
      const lang = to.language;
      const number = recordNumber(record);
      const what = record.kind === 'deal' ? t(lang, 'relay-deal', { number }) : t(lang, 'relay-lead', { number });
      const text = msg.text ? shorten(msg.text, 1000) : '';
      const file = msg.file ? t(lang, 'relay-file', { name: msg.file.name ?? msg.kind }) : '';
      const ok = await sendTo(to, {
        key: `relay:${inboundId}`,
        text: `${t(lang, 'relay-head', { name: c ? contactDisplayName(c) : '?', what, channel: t(lang, `channel-${thread.channel}`) })}\n${[text, file].filter(Boolean).join('\n')}\n\n${t(lang, 'relay-hint')}`,
        buttons: [[{ text: t(lang, 'btn-answer'), callback_data: `t:${thread.id}:reply` }, { text: t(lang, 'btn-card'), callback_data: record.kind === 'deal' ? `d:${number}:open` : `l:${number}:open` }]],
        threadId: thread.id,
      });
      return ok ? 'relayed' : 'unreachable';
    },

    async taskDue(task, tx = db) {
      if (task.assigneeId === null) return false;
      const to = await reachableStaff(tx, task.assigneeId);
      if (!to) return false;
      const lang = to.language;
      return sendTo(to, {
        key: `task-due:${task.id}:${task.dueAt?.getTime() ?? 0}`,
        text: dueText(t, lang, task),
        buttons: reminderButtons(t, lang, task),
      }, tx);
    },

    async undelivered(row) {
      if (row.authorId === null) return false;
      const to = await reachableStaff(db, row.authorId);
      if (!to) return false;
      const lang = to.language;
      const reason = undeliveredReason(row.error);
      // A file answer: its caption stands for it (a file without one shows nothing more).
      const said = typeof row.params.text === 'string' ? row.params.text : typeof row.params.caption === 'string' ? row.params.caption : null;
      const wrote = said !== null ? `\n\n${t(lang, 'undelivered-text')}\n${shorten(said, 1000)}` : '';
      return sendTo(to, {
        key: `undelivered:${row.id}`,
        text: `${t(lang, 'notice-undelivered', { channel: t(lang, `channel-${row.channel}`) })}\n${t(lang, reason, { message: shorten(row.error ?? '', 300) })}${wrote}`,
      });
    },
  };
}

/** The lead's fields as lines, in each reader's language (labels are the company's own). */
async function leadSummary(db: Db, t: Translate, lead: Lead, contactName: string | null): Promise<(lang: Lang) => string> {
  const [defs, config] = await Promise.all([loadFieldDefs(db, 'lead'), getCompanyConfig(db)]);
  const source = config.leadSources.find((s) => s.key === lead.source)?.name ?? lead.source;
  return (lang) => {
    const lines = [`${lead.title}`, t(lang, 'card-source', { source })];
    if (contactName) lines.push(t(lang, 'card-contact', { name: contactName }));
    for (const d of defs) {
      const v = lead.custom[d.key];
      if (v !== undefined && v !== null && v !== '') lines.push(`${d.label}: ${formatValue(d.type, v, lang, t)}`);
    }
    if (lead.comment) lines.push(shorten(lead.comment, 500));
    return lines.join('\n');
  };
}
