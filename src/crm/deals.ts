import { and, arrayContains, asc, eq, gt, ilike, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Deal, deals, pipelines, stageHistory, stages } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, canManageRecord, hasRole, refusalReason } from './actor.ts';
import { writeAudit } from './audit.ts';
import { loadFieldDefs, mergeCustom, validateCustomValues } from './custom-fields.ts';
import { overdueDealCondition } from './deal-overdue.ts';
import { AccessDeniedError, NotFoundError, StaleVersionError, UnknownStageError, ValidationError } from './errors.ts';
import { clampLimit, decodeCursor, type Page, toPage } from './pagination.ts';
import { getPipeline, resolveStage } from './pipelines.ts';
import { amountSchema, currencySchema, customSchema, definedOnly, idSchema, isStorableText, UNSTORABLE_TEXT_MESSAGE, observerIdsSchema, optionalText, requiredText, utmSchema, versionSchema } from './record-input.ts';
import { changedIds, requireReadable, requireStaff, type WriteOptions } from './references.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

export const dealInputSchema = z.object({
  title: requiredText(500),
  pipelineId: idSchema.optional(),
  /** Stage key or id; default: the pipeline's first stage. */
  stage: z.union([idSchema, requiredText(100)]).optional(),
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

/**
 * A patch changes only the fields it carries, so people editing different fields of one deal
 * never overwrite each other. expectedVersion is optional: with it the patch applies only to
 * that version (409 otherwise, as the bot's cards do); without it the last write wins, as in
 * any CRM's API.
 */
export const dealPatchSchema = dealInputSchema
  .omit({ pipelineId: true, stage: true, leadId: true })
  .partial()
  .extend({ expectedVersion: versionSchema.optional() });
export type DealPatch = z.input<typeof dealPatchSchema>;

export async function createDeal(db: Db, actor: Actor, input: DealInput, opts: WriteOptions = {}): Promise<Deal> {
  const data = parseInput(dealInputSchema, input);
  const custom = data.custom ? validateCustomValues(await loadFieldDefs(db, 'deal'), data.custom) : {};
  const pipeline = await getPipeline(db, data.pipelineId !== undefined ? { id: data.pipelineId } : {}).catch((err: unknown) => {
    if (err instanceof NotFoundError && data.pipelineId !== undefined) throw new ValidationError([{ field: 'pipelineId', message: 'no such pipeline' }], { cause: err });
    throw err;
  });
  const stage =
    data.stage !== undefined
      ? await resolveStage(db, pipeline.id, data.stage).catch((err: unknown) => {
          if (err instanceof UnknownStageError) throw new ValidationError([{ field: 'stage', message: `no such stage in pipeline ${pipeline.key}` }], { cause: err });
          throw err;
        })
      : pipeline.stages[0];
  if (!stage) throw new ValidationError([{ field: 'pipelineId', message: 'pipeline has no stages' }]);
  if (stage.kind !== 'open') throw new ValidationError([{ field: 'stage', message: 'a new deal must start in an open stage' }]);
  await requireReferences(db, actor, opts.carried ? { responsibleId: data.responsibleId, observerIds: data.observerIds } : data);
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

/** The ids a deal's input carries: records the actor may read, people who are active staff. */
async function requireReferences(db: Db, actor: Actor, data: { contactId?: number | null; companyId?: number | null; leadId?: number | null; responsibleId?: number | null; observerIds?: number[] }) {
  await requireReadable(db, actor, [
    { field: 'contactId', entity: 'contact', id: data.contactId },
    { field: 'companyId', entity: 'company', id: data.companyId },
    { field: 'leadId', entity: 'lead', id: data.leadId },
  ]);
  await requireStaff(db, [
    { field: 'responsibleId', ids: [data.responsibleId] },
    { field: 'observerIds', ids: data.observerIds ?? [] },
  ]);
}

/**
 * Changes fields other than the stage: the responsible, supervisors and admins (an observer
 * reads). With expectedVersion the deal must still be at that version.
 */
export async function updateDeal(db: Db, actor: Actor, id: number, patch: DealPatch): Promise<Deal> {
  const { expectedVersion, ...data } = parseInput(dealPatchSchema, patch);
  const customPatch = data.custom ? validateCustomValues(await loadFieldDefs(db, 'deal'), data.custom) : null;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(deals).where(eq(deals.id, id)).for('update');
    if (!before) throw new NotFoundError('deal', id);
    if (!canAccessRecord(actor, before)) throw new AccessDeniedError('deal', id);
    if (!canManageRecord(actor, before)) throw new AccessDeniedError('deal', id, { reason: refusalReason(actor, before) });
    if (expectedVersion !== undefined && before.version !== expectedVersion) throw new StaleVersionError('deal', id, expectedVersion, before.version);
    await requireReferences(tx, actor, changedIds(data, before, ['contactId', 'companyId', 'responsibleId', 'observerIds']));
    const set = definedOnly({ ...data, custom: customPatch ? mergeCustom(before.custom, customPatch) : undefined });
    const [after] = await tx
      .update(deals)
      .set({ ...set, version: sql`${deals.version} + 1`, updatedAt: new Date() })
      .where(eq(deals.id, id))
      .returning();
    await addTimelineEntry(tx, actor, { entityType: 'deal', entityId: id, kind: 'change', data: { fields: Object.keys(set) } });
    await writeAudit(tx, actor, { action: 'deal.update', entityType: 'deal', entityId: id, before, after });
    return after!;
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
    if (!isStorableText(f.q)) throw new ValidationError([{ field: 'q', message: UNSTORABLE_TEXT_MESSAGE }]);
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
