import { and, arrayContains, asc, eq, gt, ilike, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Deal, deals, pipelines, stageHistory, stages } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, hasRole } from './actor.ts';
import { writeAudit } from './audit.ts';
import { loadFieldDefs, mergeCustom, validateCustomValues } from './custom-fields.ts';
import { overdueDealCondition } from './deal-overdue.ts';
import { AccessDeniedError, NotFoundError, StaleVersionError, ValidationError } from './errors.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';
import { getPipeline, resolveStage } from './pipelines.ts';
import { amountSchema, currencySchema, customSchema, definedOnly, idSchema, observerIdsSchema, optionalText, utmSchema } from './record-input.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

export const dealInputSchema = z.object({
  title: z.string().trim().min(1).max(500),
  pipelineId: idSchema.optional(),
  /** Stage key or id; default: the pipeline's first stage. */
  stage: z.union([idSchema, z.string().min(1)]).optional(),
  amount: amountSchema.nullable().optional(),
  currency: currencySchema.optional(),
  responsibleId: idSchema.nullable().optional(),
  observerIds: observerIdsSchema.optional(),
  contactId: idSchema.nullable().optional(),
  companyId: idSchema.nullable().optional(),
  leadId: idSchema.nullable().optional(),
  source: optionalText(100),
  utm: utmSchema.optional(),
  comment: optionalText(10_000),
  custom: customSchema.optional(),
});
export type DealInput = z.input<typeof dealInputSchema>;

export const dealPatchSchema = dealInputSchema
  .omit({ pipelineId: true, stage: true, leadId: true })
  .partial()
  .extend({ expectedVersion: z.number().int().positive() });
export type DealPatch = z.input<typeof dealPatchSchema>;

export async function createDeal(db: Db, actor: Actor, input: DealInput): Promise<Deal> {
  const data = parseInput(dealInputSchema, input);
  const custom = data.custom ? validateCustomValues(await loadFieldDefs(db, 'deal'), data.custom) : {};
  const pipeline = await getPipeline(db, data.pipelineId !== undefined ? { id: data.pipelineId } : {});
  const stage = data.stage !== undefined ? await resolveStage(db, pipeline.id, data.stage) : pipeline.stages[0];
  if (!stage) throw new ValidationError([{ field: 'pipelineId', message: 'pipeline has no stages' }]);
  if (stage.kind !== 'open') throw new ValidationError([{ field: 'stage', message: 'a new deal must start in an open stage' }]);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(deals)
      .values({
        ...definedOnly({ ...data, custom: undefined, stage: undefined }),
        title: data.title,
        pipelineId: pipeline.id,
        stageId: stage.id,
        responsibleId: data.responsibleId ?? actor.userId,
        custom: mergeCustom({}, custom),
      })
      .returning();
    await tx.insert(stageHistory).values({ dealId: row!.id, fromStageId: null, toStageId: stage.id, movedById: actor.userId });
    await addTimelineEntry(tx, actor, {
      entityType: 'deal',
      entityId: row!.id,
      kind: 'system',
      data: { event: 'created', stage: stage.key, pipeline: pipeline.key },
    });
    await writeAudit(tx, actor, { action: 'deal.create', entityType: 'deal', entityId: row!.id, after: row });
    return row!;
  });
}

export async function getDeal(db: Db, actor: Actor, id: number): Promise<Deal> {
  const [row] = await db.select().from(deals).where(eq(deals.id, id));
  if (!row) throw new NotFoundError('deal', id);
  if (!canAccessRecord(actor, row)) throw new AccessDeniedError('deal', id);
  return row;
}

/** Changes fields other than the stage; the caller's version must be the current one. */
export async function updateDeal(db: Db, actor: Actor, id: number, patch: DealPatch): Promise<Deal> {
  const { expectedVersion, ...data } = parseInput(dealPatchSchema, patch);
  const customPatch = data.custom ? validateCustomValues(await loadFieldDefs(db, 'deal'), data.custom) : null;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(deals).where(eq(deals.id, id));
    if (!before) throw new NotFoundError('deal', id);
    if (!canAccessRecord(actor, before)) throw new AccessDeniedError('deal', id);
    if (before.version !== expectedVersion) throw new StaleVersionError('deal', id, expectedVersion, before.version);
    const set = definedOnly({ ...data, custom: customPatch ? mergeCustom(before.custom, customPatch) : undefined });
    const [after] = await tx
      .update(deals)
      .set({ ...set, version: sql`${deals.version} + 1`, updatedAt: new Date() })
      .where(and(eq(deals.id, id), eq(deals.version, expectedVersion)))
      .returning();
    if (!after) {
      const [now] = await tx.select({ version: deals.version }).from(deals).where(eq(deals.id, id));
      throw new StaleVersionError('deal', id, expectedVersion, now?.version ?? null);
    }
    await addTimelineEntry(tx, actor, { entityType: 'deal', entityId: id, kind: 'change', data: { fields: Object.keys(set) } });
    await writeAudit(tx, actor, { action: 'deal.update', entityType: 'deal', entityId: id, before, after });
    return after;
  });
}

export interface DealListFilter {
  limit?: number;
  cursor?: string | null;
  pipelineId?: number;
  pipelineKey?: string;
  stageId?: number;
  /** A stage key: within pipelineId / pipelineKey when one is given, in any pipeline otherwise. */
  stageKey?: string;
  responsibleId?: number;
  /** Only deals still in an open stage. */
  openOnly?: boolean;
  /** Deals whose stage was entered before this moment. */
  stageEnteredBefore?: Date;
  q?: string;
  /** Deals the actor is responsible for or observes; narrows a supervisor's view to his own too. */
  mine?: boolean;
  /** Open deals with a past-due task, a stage timeout passed or a next contact date gone by (see deal-overdue.ts). */
  overdue?: boolean;
}

/** `now` decides what is overdue; tests fix it. */
export async function listDeals(db: Db, actor: Actor, f: DealListFilter = {}, now: Date = new Date()): Promise<Page<Deal>> {
  const limit = clampLimit(f.limit);
  const after = decodeCursor(f.cursor);
  const where: (SQL | undefined)[] = [after === null ? undefined : gt(deals.id, after)];
  // What a manager may see is what "mine" shows anyone.
  if (f.mine || !hasRole(actor, 'admin', 'supervisor')) {
    where.push(
      actor.userId === null ? sql`false` : or(eq(deals.responsibleId, actor.userId), arrayContains(deals.observerIds, [actor.userId])),
    );
  }
  if (f.pipelineId) where.push(eq(deals.pipelineId, f.pipelineId));
  if (f.pipelineKey) where.push(inArray(deals.pipelineId, db.select({ id: pipelines.id }).from(pipelines).where(eq(pipelines.key, f.pipelineKey))));
  if (f.stageId) where.push(eq(deals.stageId, f.stageId));
  if (f.stageKey) where.push(inArray(deals.stageId, db.select({ id: stages.id }).from(stages).where(eq(stages.key, f.stageKey))));
  if (f.responsibleId) where.push(eq(deals.responsibleId, f.responsibleId));
  if (f.openOnly) where.push(inArray(deals.stageId, db.select({ id: stages.id }).from(stages).where(eq(stages.kind, 'open'))));
  if (f.stageEnteredBefore) where.push(lt(deals.stageEnteredAt, f.stageEnteredBefore));
  if (f.overdue) where.push(await overdueDealCondition(db, now));
  if (f.q) {
    const asNumber = /^#?(\d{1,12})$/.exec(f.q.trim());
    const q = `%${f.q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
    where.push(asNumber ? or(eq(deals.id, Number(asNumber[1])), ilike(deals.title, q)) : ilike(deals.title, q));
  }
  const rows = await db
    .select()
    .from(deals)
    .where(and(...where))
    .orderBy(asc(deals.id))
    .limit(limit + 1);
  return toPage(rows, limit);
}
