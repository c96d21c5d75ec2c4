import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import { deals, pipelines, stages, tasks } from '../../../db/schema/index.ts';
import type { Actor } from '../../../src/crm/actor.ts';
import { createDeal, listDeals } from '../../../src/crm/deals.ts';
import { completeTask, createTask } from '../../../src/crm/tasks.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import type { PresetDb } from './preset-db.ts';

// 01:30 on 23 November in Moscow, still the 22nd in UTC: "today" is the company's date.
const NOW = new Date('2026-11-22T22:30:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function stageId(db: ReturnType<PresetDb>['db'], pipelineKey: string, stageKey: string) {
  const [row] = await db
    .select({ id: stages.id })
    .from(stages)
    .innerJoin(pipelines, eq(pipelines.id, stages.pipelineId))
    .where(and(eq(pipelines.key, pipelineKey), eq(stages.key, stageKey)));
  return row!.id;
}

export function defineDealListSuite(kind: DbKind, dealer: PresetDb, accessories: PresetDb) {
  describe(`deal lists for the bot on ${kind}`, () => {
    const db = () => dealer().db;

    /** A deal of `actor` placed straight into a stage (setup, not a move), entered `enteredAgo` before NOW. */
    async function dealAt(actor: Actor, stage: string, enteredAgo: number, opts: { pipeline?: string; custom?: Record<string, unknown> } = {}) {
      const pipeline = opts.pipeline ?? 'farm';
      const [pl] = await db().select().from(pipelines).where(eq(pipelines.key, pipeline));
      const deal = await createDeal(db(), actor, { title: `${pipeline}/${stage}`, pipelineId: pl!.id });
      const [row] = await db()
        .update(deals)
        .set({ stageId: await stageId(db(), pipeline, stage), stageEnteredAt: ago(enteredAgo), custom: opts.custom ?? {} })
        .where(eq(deals.id, deal.id))
        .returning();
      return row!;
    }

    const overdueIds = async (actor: Actor) => (await listDeals(db(), actor, { overdue: true, limit: 200 }, NOW)).items.map((d) => d.id).sort();

    it('overdue: an open task linked to the deal is past due; a done, future or other-entity task does not count', async () => {
      const { actor } = await makeUser(db(), ['manager']);
      const late = await dealAt(actor, 'in_work', HOUR);
      const future = await dealAt(actor, 'in_work', HOUR);
      const done = await dealAt(actor, 'in_work', HOUR);
      const otherEntity = await dealAt(actor, 'in_work', HOUR);
      const closed = await dealAt(actor, 'lost', HOUR, { custom: { loss_reason: 'дорого' } });
      await createTask(db(), actor, { title: 'позвонить', dueAt: ago(HOUR), entityType: 'deal', entityId: late.id });
      await createTask(db(), actor, { title: 'позвонить', dueAt: ago(-HOUR), entityType: 'deal', entityId: future.id });
      const finished = await createTask(db(), actor, { title: 'позвонить', dueAt: ago(HOUR), entityType: 'deal', entityId: done.id });
      await completeTask(db(), actor, finished.id);
      // The same number on a contact is not this deal (written as a row: the service would refuse a contact that does not exist).
      await db().insert(tasks).values({ title: 'позвонить', dueAt: ago(HOUR), assigneeId: actor.userId, createdById: actor.userId, entityType: 'contact', entityId: otherEntity.id });
      await createTask(db(), actor, { title: 'позвонить', dueAt: ago(HOUR), entityType: 'deal', entityId: closed.id });
      expect(await overdueIds(actor)).toEqual([late.id]);
      // Without the filter, and before the task was due, nothing is filtered out.
      expect((await listDeals(db(), actor, { limit: 200 }, NOW)).items).toHaveLength(5);
      expect((await listDeals(db(), actor, { overdue: true }, ago(2 * HOUR))).items).toEqual([]);
      const [open] = await db().select().from(tasks).where(and(eq(tasks.entityType, 'deal'), eq(tasks.entityId, late.id)));
      expect(open?.status).toBe('open');
    });

    it('overdue: longer in the stage than its stage_timeout rule allows (3 days in proposal_sent), in either pipeline', async () => {
      const { actor } = await makeUser(db(), ['manager']);
      const stuck = await dealAt(actor, 'proposal_sent', 3 * DAY + HOUR);
      const stuckRoad = await dealAt(actor, 'proposal_sent', 4 * DAY, { pipeline: 'road' });
      await dealAt(actor, 'proposal_sent', 2 * DAY);
      // No rule for in_work: a month there is not overdue.
      await dealAt(actor, 'in_work', 30 * DAY);
      expect(await overdueIds(actor)).toEqual([stuck.id, stuckRoad.id].sort());
    });

    it('overdue: next_contact_date before today in the company time zone; today itself is not', async () => {
      const { actor } = await makeUser(db(), ['manager']);
      const yesterday = await dealAt(actor, 'deferred', HOUR, { custom: { next_contact_date: '2026-11-22' } });
      await dealAt(actor, 'deferred', HOUR, { custom: { next_contact_date: '2026-11-23' } });
      await dealAt(actor, 'deferred', HOUR, { custom: { next_contact_date: '2026-12-01' } });
      await dealAt(actor, 'won', HOUR, { custom: { next_contact_date: '2026-01-01' } });
      expect(await overdueIds(actor)).toEqual([yesterday.id]);
    });

    it('mine: responsible or observer, also for a supervisor who otherwise sees all', async () => {
      const { actor: boss, user: bossUser } = await makeUser(db(), ['supervisor']);
      const { actor: m } = await makeUser(db(), ['manager']);
      const own = await createDeal(db(), boss, { title: 'своя' });
      const observed = await createDeal(db(), m, { title: 'наблюдаю', observerIds: [bossUser.id] });
      const foreign = await createDeal(db(), m, { title: 'чужая' });
      const all = (await listDeals(db(), boss, { limit: 200 })).items.map((d) => d.id);
      expect(all).toEqual(expect.arrayContaining([own.id, observed.id, foreign.id]));
      const mine = (await listDeals(db(), boss, { mine: true, limit: 200 })).items.map((d) => d.id);
      expect(mine).toEqual([own.id, observed.id]);
    });

    it('stageKey: in any pipeline, or within the pipeline given by id or key', async () => {
      const { actor } = await makeUser(db(), ['manager']);
      const farm = await dealAt(actor, 'invoice_sent', HOUR);
      const road = await dealAt(actor, 'invoice_sent', HOUR, { pipeline: 'road' });
      await dealAt(actor, 'shipment', HOUR);
      const list = async (f: Parameters<typeof listDeals>[2]) => (await listDeals(db(), actor, { ...f, mine: true, limit: 200 })).items.map((d) => d.id);
      expect(await list({ stageKey: 'invoice_sent' })).toEqual([farm.id, road.id]);
      expect(await list({ stageKey: 'invoice_sent', pipelineKey: 'road' })).toEqual([road.id]);
      expect(await list({ stageKey: 'invoice_sent', pipelineId: farm.pipelineId })).toEqual([farm.id]);
      expect(await list({ stageKey: 'no_such_stage' })).toEqual([]);
      // Filters combine: overdue within the stage.
      await createTask(db(), actor, { title: 'счет', dueAt: ago(HOUR), entityType: 'deal', entityId: road.id });
      expect((await listDeals(db(), actor, { stageKey: 'invoice_sent', overdue: true }, NOW)).items.map((d) => d.id)).toEqual([road.id]);
    });

    it('a rule "after: 0m" (act on entering the stage) makes no deal overdue', async () => {
      const a = accessories().db;
      const { actor } = await makeUser(a, ['manager']);
      const deal = await createDeal(a, actor, { title: 'кошелёк' });
      await a
        .update(deals)
        .set({ stageId: await stageId(a, 'sales', 'shipment'), stageEnteredAt: ago(30 * DAY) })
        .where(eq(deals.id, deal.id));
      expect((await listDeals(a, actor, { overdue: true }, NOW)).items).toEqual([]);
      await createTask(a, actor, { title: 'созвониться', dueAt: ago(HOUR), entityType: 'deal', entityId: deal.id });
      expect((await listDeals(a, actor, { overdue: true }, NOW)).items.map((d) => d.id)).toEqual([deal.id]);
    });
  });
}
