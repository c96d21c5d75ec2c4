// Moving a deal is the heart of the CRM: the transition and the stage's entry requirements
// are checked first, and the deal, its stage history and its timeline change together or not
// at all. The version makes concurrent moves safe: the second writer finds the version moved.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type Deal, deals, type Stage, stageHistory, stages } from '../../db/schema/index.ts';
import { type Actor, canAccessRecord, canManageRecord, hasRole, refusalReason } from './actor.ts';
import { writeAudit } from './audit.ts';
import { isEmptyValue, loadFieldDefs, mergeCustom, normalizeFieldValue } from './custom-fields.ts';
import { AccessDeniedError, NotFoundError, RequirementsNotMetError, StaleVersionError, TransitionNotAllowedError, UnknownStageError, ValidationError } from './errors.ts';
import { isClosedStage, resolveStage } from './pipelines.ts';
import { amountSchema, checkedRecord, requiredText, text, versionSchema } from './record-input.ts';
import { addTimelineEntry } from './timeline.ts';
import { parseInput } from './validate.ts';

export const moveDealInputSchema = z.object({
  /** Stage key or id within the deal's pipeline. */
  toStage: z.union([z.number().int().positive(), requiredText(100)]),
  expectedVersion: versionSchema,
  /** Values for the target stage's requirements (custom keys, or amount / comment). */
  values: checkedRecord(z.record(z.string(), z.unknown())).default({}),
  comment: text(10_000).optional(),
  /** Lets a supervisor take a won or lost deal back to an open stage. */
  reopen: z.boolean().default(false),
});
export type MoveDealInput = z.input<typeof moveDealInputSchema>;

export interface MoveResult {
  deal: Deal;
  from: Stage;
  to: Stage;
}

interface Clock {
  now(): Date;
}
const systemClock: Clock = { now: () => new Date() };

export async function moveDealToStage(db: Db, actor: Actor, dealId: number, input: MoveDealInput, clock: Clock = systemClock): Promise<MoveResult> {
  const data = parseInput(moveDealInputSchema, input);
  const defs = await loadFieldDefs(db, 'deal');
  return db.transaction(async (tx) => {
    const [deal] = await tx.select().from(deals).where(eq(deals.id, dealId));
    if (!deal) throw new NotFoundError('deal', dealId);
    if (!canAccessRecord(actor, deal)) throw new AccessDeniedError('deal', dealId);
    // Moving, winning and losing a deal is its responsible's (or a supervisor's), not an observer's.
    if (!canManageRecord(actor, deal)) throw new AccessDeniedError('deal', dealId, { reason: refusalReason(actor, deal) });
    if (deal.version !== data.expectedVersion) throw new StaleVersionError('deal', dealId, data.expectedVersion, deal.version);
    const [from] = await tx.select().from(stages).where(eq(stages.id, deal.stageId));
    const to = await resolveStage(tx, deal.pipelineId, data.toStage).catch((err: unknown) => {
      throw err instanceof UnknownStageError ? new UnknownStageError(err.stage, err.pipelineId, { cause: err, field: 'toStage' }) : err;
    });
    if (!from) throw new NotFoundError('stage', deal.stageId);
    if (from.id === to.id) throw new TransitionNotAllowedError(from.key, to.key, 'same_stage');
    if (isClosedStage(from) && !(data.reopen && hasRole(actor, 'supervisor', 'admin')))
      throw new TransitionNotAllowedError(from.key, to.key, 'deal_closed');
    if (to.allowedFrom && !to.allowedFrom.includes(from.key)) throw new TransitionNotAllowedError(from.key, to.key, 'not_allowed_from');

    // Supplied values are validated by type; then every requirement must be satisfied by a
    // supplied value or by what the deal already holds.
    const defByKey = new Map(defs.map((d) => [d.key, d]));
    const customPatch: Record<string, unknown> = {};
    let amount: string | undefined;
    let comment: string | undefined;
    const issues: { field: string; message: string }[] = [];
    for (const [key, raw] of Object.entries(data.values)) {
      if (isEmptyValue(raw)) continue;
      if (key === 'amount') {
        const parsed = amountSchema.safeParse(raw);
        if (parsed.success) amount = parsed.data;
        else issues.push({ field: 'amount', message: 'must be an amount of money' });
      } else if (key === 'comment') {
        comment = String(raw).trim();
      } else {
        const def = defByKey.get(key);
        if (!def) {
          issues.push({ field: key, message: 'no such field' });
          continue;
        }
        const result = normalizeFieldValue(def, raw);
        if ('error' in result) issues.push({ field: key, message: result.error });
        else customPatch[key] = result.value;
      }
    }
    if (issues.length) throw new ValidationError(issues);
    const custom = mergeCustom(deal.custom, customPatch);
    const current: Record<string, unknown> = {
      amount: amount ?? deal.amount,
      comment: comment ?? deal.comment,
      contact: deal.contactId,
      company: deal.companyId,
      responsible: deal.responsibleId,
    };
    const missing = to.requirements
      .map((r) => r.field)
      .filter((field) => (field in current ? isEmptyValue(current[field]) : isEmptyValue(custom[field])));
    if (missing.length) throw new RequirementsNotMetError(to.key, missing);

    const now = clock.now();
    const [moved] = await tx
      .update(deals)
      .set({
        stageId: to.id,
        stageEnteredAt: now,
        custom,
        ...(amount !== undefined ? { amount } : {}),
        ...(comment !== undefined ? { comment } : {}),
        closedAt: isClosedStage(to) ? now : null,
        version: sql`${deals.version} + 1`,
        updatedAt: now,
      })
      .where(and(eq(deals.id, dealId), eq(deals.version, data.expectedVersion)))
      .returning();
    if (!moved) {
      const [latest] = await tx.select({ version: deals.version }).from(deals).where(eq(deals.id, dealId));
      throw new StaleVersionError('deal', dealId, data.expectedVersion, latest?.version ?? null);
    }
    const supplied = { ...customPatch, ...(amount !== undefined ? { amount } : {}), ...(comment !== undefined ? { comment } : {}) };
    await tx.insert(stageHistory).values({ dealId, fromStageId: from.id, toStageId: to.id, movedById: actor.userId, data: supplied, movedAt: now });
    await addTimelineEntry(tx, actor, {
      entityType: 'deal',
      entityId: dealId,
      kind: 'stage_move',
      body: data.comment ?? null,
      data: { from: from.key, to: to.key, values: supplied },
    });
    await writeAudit(tx, actor, {
      action: 'deal.move',
      entityType: 'deal',
      entityId: dealId,
      before: { stage: from.key, version: deal.version },
      after: { stage: to.key, version: moved.version, values: supplied },
    });
    return { deal: moved, from, to };
  });
}
