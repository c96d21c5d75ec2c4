// What a lead or deal card shows in a chat, read in one call: the record, the names behind its
// ids, where it stands and where it goes next, and the latest of its history.
import { and, asc, eq, or } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { companies, contacts, type Deal, type Lead, pipelines, type Stage, stages, type TimelineEntry } from '../../db/schema/index.ts';
import { type Actor, canManageRecord } from './actor.ts';
import { findCompanyConfig } from './company-config.ts';
import { contactDisplayName } from './contacts.ts';
import { getDeal } from './deals.ts';
import { NotFoundError } from './errors.ts';
import { getLead } from './leads.ts';
import { userNames } from './staff.ts';
import { listTimeline } from './timeline.ts';

export const CARD_TIMELINE_ENTRIES = 5;

export interface CardContact {
  id: number;
  name: string;
  phone: string | null;
}
export interface CardRef {
  id: number;
  name: string;
}
export type CardStage = Pick<Stage, 'id' | 'key' | 'name' | 'kind'>;

export interface LeadCard {
  lead: Lead;
  status: { key: string; name: string; kind: string } | null;
  contact: CardContact | null;
  company: CardRef | null;
  responsible: CardRef | null;
  /** Newest last. */
  timeline: TimelineEntry[];
}

export interface DealCard {
  deal: Deal;
  contact: CardContact | null;
  company: CardRef | null;
  responsible: CardRef | null;
  observers: CardRef[];
  stage: CardStage;
  pipeline: { id: number; key: string; name: string; stages: CardStage[] };
  /** The next open stage in order; null in a closed stage or at the last open one. */
  nextStageKey: string | null;
  timeline: TimelineEntry[];
  /** Whether the reader may change the deal (move it, edit it, hand it over); false for an observer. */
  mayChange: boolean;
}

async function cardContact(db: Db, id: number | null): Promise<CardContact | null> {
  if (id === null) return null;
  const [c] = await db.select().from(contacts).where(eq(contacts.id, id));
  return c ? { id: c.id, name: contactDisplayName(c), phone: c.phone } : null;
}

async function cardCompany(db: Db, id: number | null): Promise<CardRef | null> {
  if (id === null) return null;
  const [c] = await db.select({ id: companies.id, name: companies.name }).from(companies).where(eq(companies.id, id));
  return c ?? null;
}

async function recentTimeline(db: Db, entityType: 'lead' | 'deal', id: number): Promise<TimelineEntry[]> {
  return (await listTimeline(db, entityType, id, { limit: CARD_TIMELINE_ENTRIES, newestFirst: true })).reverse();
}

export function nextOpenStage(ordered: readonly Pick<Stage, 'id' | 'key' | 'kind'>[], currentId: number): string | null {
  const at = ordered.findIndex((s) => s.id === currentId);
  if (at < 0 || ordered[at]!.kind !== 'open') return null;
  return ordered.slice(at + 1).find((s) => s.kind === 'open')?.key ?? null;
}

export async function getLeadCard(db: Db, actor: Actor, leadId: number): Promise<LeadCard> {
  const lead = await getLead(db, actor, leadId);
  const [config, contact, company, names, timeline] = await Promise.all([
    findCompanyConfig(db),
    cardContact(db, lead.contactId),
    cardCompany(db, lead.companyId),
    userNames(db, [lead.responsibleId]),
    recentTimeline(db, 'lead', leadId),
  ]);
  const status = config?.config.leadStatuses.find((s) => s.key === lead.status);
  return {
    lead,
    status: status ? { key: status.key, name: status.name, kind: status.kind } : null,
    contact,
    company,
    responsible: lead.responsibleId !== null && names.has(lead.responsibleId) ? { id: lead.responsibleId, name: names.get(lead.responsibleId)! } : null,
    timeline,
  };
}

export async function getDealCard(db: Db, actor: Actor, dealId: number): Promise<DealCard> {
  const deal = await getDeal(db, actor, dealId);
  const [[pipeline], stageRows, contact, company, names, timeline] = await Promise.all([
    db.select().from(pipelines).where(eq(pipelines.id, deal.pipelineId)),
    db
      .select({ id: stages.id, key: stages.key, name: stages.name, kind: stages.kind })
      .from(stages)
      .where(and(eq(stages.pipelineId, deal.pipelineId), or(eq(stages.isArchived, false), eq(stages.id, deal.stageId))))
      .orderBy(asc(stages.sortOrder), asc(stages.id)),
    cardContact(db, deal.contactId),
    cardCompany(db, deal.companyId),
    userNames(db, [deal.responsibleId, ...deal.observerIds]),
    recentTimeline(db, 'deal', dealId),
  ]);
  const stage = stageRows.find((s) => s.id === deal.stageId);
  if (!pipeline) throw new NotFoundError('pipeline', deal.pipelineId);
  if (!stage) throw new NotFoundError('stage', deal.stageId);
  const ref = (id: number | null): CardRef | null => (id !== null && names.has(id) ? { id, name: names.get(id)! } : null);
  return {
    deal,
    contact,
    company,
    responsible: ref(deal.responsibleId),
    observers: deal.observerIds.map(ref).filter((r): r is CardRef => r !== null),
    stage,
    pipeline: { id: pipeline.id, key: pipeline.key, name: pipeline.name, stages: stageRows },
    nextStageKey: nextOpenStage(stageRows, stage.id),
    timeline,
    mayChange: canManageRecord(actor, deal),
  };
}
