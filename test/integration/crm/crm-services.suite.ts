// The CRM service behaviour, run once on the real Postgres and once on embedded PGlite.
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import { auditLog, companyConfigVersions, deals, pipelines, stageHistory, stages, timelineEntries } from '../../../db/schema/index.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { createCompany } from '../../../src/crm/companies.ts';
import { createContact, getContact, listContacts, updateContact } from '../../../src/crm/contacts.ts';
import { createDeal, getDeal, listDeals, updateDeal } from '../../../src/crm/deals.ts';
import {
  AccessDeniedError,
  ConflictError,
  RequirementsNotMetError,
  StaleVersionError,
  TransitionNotAllowedError,
  UnknownStageError,
  ValidationError,
} from '../../../src/crm/errors.ts';
import { convertLead, createLead, setLeadStatus } from '../../../src/crm/leads.ts';
import { moveDealToStage } from '../../../src/crm/move-deal.ts';
import { listTimeline } from '../../../src/crm/timeline.ts';
import { applyPreset } from '../../../src/presets/apply-preset.ts';
import { loadPreset } from '../../../src/presets/load-preset.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

const file = (name: string) => ({ fileId: `tg-file-${name}`, name: `${name}.pdf`, size: 1024, mime: 'application/pdf' });

export function defineCrmSuite(kind: DbKind) {
  describe(`CRM services on ${kind}`, () => {
    let t: TestDb;

    beforeAll(async () => {
      t = await createTestDb(kind, 'crm');
      await applyPreset(t.db, await loadPreset('dealer'), systemActor);
    }, 60_000);
    afterAll(async () => {
      await t?.drop();
    });

    async function countRows() {
      const [h] = await t.db.select({ n: count() }).from(stageHistory);
      const [tl] = await t.db.select({ n: count() }).from(timelineEntries);
      const [a] = await t.db.select({ n: count() }).from(auditLog);
      return { history: h!.n, timeline: tl!.n, audit: a!.n };
    }

    async function newDeal(responsibleId?: number) {
      const { actor } = await makeUser(t.db, ['manager']);
      const deal = await createDeal(t.db, actor, { title: 'Трактор МТЗ-82', amount: '4 500 000', responsibleId });
      return { actor, deal };
    }

    it('applies the dealer preset: two pipelines of nine stages; applying again changes nothing', async () => {
      const pls = await t.db.select().from(pipelines);
      expect(pls.map((p) => p.key).sort()).toEqual(['farm', 'road']);
      const farm = pls.find((p) => p.key === 'farm')!;
      expect(farm.isDefault).toBe(true);
      const farmStages = await t.db.select().from(stages).where(eq(stages.pipelineId, farm.id));
      expect(farmStages).toHaveLength(9);
      expect(farmStages.find((s) => s.key === 'lost')?.requirements).toEqual([{ field: 'loss_reason' }]);
      const again = await applyPreset(t.db, await loadPreset('dealer'), systemActor);
      expect(again.changed).toBe(false);
      const versions = await t.db.select().from(companyConfigVersions);
      expect(versions).toHaveLength(1);
      expect(await t.db.select().from(stages)).toHaveLength(18);
    });

    it('creates a deal in the first stage with history, timeline and audit', async () => {
      const { deal } = await newDeal();
      const [stage] = await t.db.select().from(stages).where(eq(stages.id, deal.stageId));
      expect(stage?.key).toBe('new');
      expect(deal.amount).toBe('4500000.00');
      expect(deal.version).toBe(1);
      const history = await t.db.select().from(stageHistory).where(eq(stageHistory.dealId, deal.id));
      expect(history).toHaveLength(1);
      expect(history[0]?.fromStageId).toBeNull();
      expect((await listTimeline(t.db, 'deal', deal.id)).map((e) => e.kind)).toEqual(['system']);
    });

    it('rejects custom values of the wrong type and unknown fields, naming each', async () => {
      const { actor } = await makeUser(t.db, ['manager']);
      const err = await createDeal(t.db, actor, { title: 'x', custom: { land_area: 'много', payment_date: '31.02.2026', nope: 1 } }).catch((e) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.field).sort()).toEqual(['custom.land_area', 'custom.nope', 'custom.payment_date']);
      const ok = await createDeal(t.db, actor, { title: 'y', custom: { land_area: '1 200,5', payment_date: '01.12.2026' } });
      expect(ok.custom).toEqual({ land_area: 1200.5, payment_date: '2026-12-01' });
    });

    it('moves through the stages with the required data, and records each move', async () => {
      const { actor, deal } = await newDeal();
      let v = deal.version;
      const steps: [string, Record<string, unknown>][] = [
        ['in_work', {}],
        ['proposal_sent', { proposal_file: file('kp') }],
        ['deferred', { next_contact_date: '2026-12-10' }],
        ['invoice_sent', { contract_file: file('contract'), invoice_file: file('invoice') }],
        ['shipment', { payment_date: '2026-12-15' }],
        ['closing_docs', { shipment_date: '2026-12-20' }],
        ['won', { acceptance_act_file: file('act'), upd_file: file('upd') }],
      ];
      for (const [stage, values] of steps) {
        const r = await moveDealToStage(t.db, actor, deal.id, { toStage: stage, expectedVersion: v, values });
        expect(r.to.key).toBe(stage);
        expect(r.deal.version).toBe(v + 1);
        v = r.deal.version;
      }
      const final = await getDeal(t.db, actor, deal.id);
      expect(final.closedAt).not.toBeNull();
      expect(final.custom.proposal_file).toEqual(file('kp'));
      const history = await t.db.select().from(stageHistory).where(eq(stageHistory.dealId, deal.id)).orderBy(stageHistory.id);
      expect(history).toHaveLength(steps.length + 1);
      const moves = (await listTimeline(t.db, 'deal', deal.id)).filter((e) => e.kind === 'stage_move');
      expect(moves.map((m) => m.data.to)).toEqual(steps.map(([s]) => s));
      // A won deal does not move on, unless a supervisor reopens it.
      const closed = await moveDealToStage(t.db, actor, deal.id, { toStage: 'in_work', expectedVersion: v }).catch((e) => e);
      expect(closed).toBeInstanceOf(TransitionNotAllowedError);
      expect((closed as TransitionNotAllowedError).reason).toBe('deal_closed');
      const { actor: boss } = await makeUser(t.db, ['supervisor']);
      const reopened = await moveDealToStage(t.db, boss, deal.id, { toStage: 'in_work', expectedVersion: v, reopen: true });
      expect(reopened.deal.closedAt).toBeNull();
    });

    it('unknown stage, missing requirement, bad value and stale version: typed errors, nothing written', async () => {
      const { actor, deal } = await newDeal();
      const before = await countRows();
      const unknown = await moveDealToStage(t.db, actor, deal.id, { toStage: 'teleported', expectedVersion: 1 }).catch((e) => e);
      expect(unknown).toBeInstanceOf(UnknownStageError);
      const otherPipelineStage = (await t.db.select().from(stages).where(eq(stages.key, 'in_work'))).find((s) => s.pipelineId !== deal.pipelineId)!;
      expect(await moveDealToStage(t.db, actor, deal.id, { toStage: otherPipelineStage.id, expectedVersion: 1 }).catch((e) => e)).toBeInstanceOf(UnknownStageError);
      const lost = await moveDealToStage(t.db, actor, deal.id, { toStage: 'lost', expectedVersion: 1 }).catch((e) => e);
      expect(lost).toBeInstanceOf(RequirementsNotMetError);
      expect((lost as RequirementsNotMetError).missing).toEqual(['loss_reason']);
      const blank = await moveDealToStage(t.db, actor, deal.id, { toStage: 'lost', expectedVersion: 1, values: { loss_reason: '   ' } }).catch((e) => e);
      expect(blank).toBeInstanceOf(RequirementsNotMetError);
      const badDate = await moveDealToStage(t.db, actor, deal.id, { toStage: 'deferred', expectedVersion: 1, values: { next_contact_date: 'завтра' } }).catch((e) => e);
      expect(badDate).toBeInstanceOf(ValidationError);
      const stale = await moveDealToStage(t.db, actor, deal.id, { toStage: 'in_work', expectedVersion: 7 }).catch((e) => e);
      expect(stale).toBeInstanceOf(StaleVersionError);
      expect((stale as StaleVersionError).currentVersion).toBe(1);
      const same = await moveDealToStage(t.db, actor, deal.id, { toStage: 'new', expectedVersion: 1 }).catch((e) => e);
      expect(same).toBeInstanceOf(TransitionNotAllowedError);
      expect(await countRows()).toEqual(before);
      const unchanged = await getDeal(t.db, actor, deal.id);
      expect(unchanged.version).toBe(1);
      expect(unchanged.stageId).toBe(deal.stageId);
      expect(unchanged.custom).toEqual({});
      const ok = await moveDealToStage(t.db, actor, deal.id, { toStage: 'lost', expectedVersion: 1, values: { loss_reason: 'Купили у конкурента' } });
      expect(ok.deal.custom.loss_reason).toBe('Купили у конкурента');
    });

    it('two concurrent moves of one deal: exactly one succeeds', async () => {
      for (let round = 0; round < 5; round++) {
        const { actor, deal } = await newDeal();
        const results = await Promise.allSettled([
          moveDealToStage(t.db, actor, deal.id, { toStage: 'in_work', expectedVersion: 1 }),
          moveDealToStage(t.db, actor, deal.id, { toStage: 'lost', expectedVersion: 1, values: { loss_reason: 'дорого' } }),
        ]);
        const ok = results.filter((r) => r.status === 'fulfilled');
        const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(ok).toHaveLength(1);
        expect(failed).toHaveLength(1);
        expect(failed[0]!.reason).toBeInstanceOf(StaleVersionError);
        const history = await t.db.select().from(stageHistory).where(eq(stageHistory.dealId, deal.id));
        expect(history).toHaveLength(2);
        const [row] = await t.db.select().from(deals).where(eq(deals.id, deal.id));
        expect(row!.version).toBe(2);
      }
    });

    it('updateDeal keeps the optimistic lock', async () => {
      const { actor, deal } = await newDeal();
      const updated = await updateDeal(t.db, actor, deal.id, { expectedVersion: 1, amount: 100, comment: 'скидка 5%' });
      expect(updated.version).toBe(2);
      expect(updated.amount).toBe('100.00');
      await expect(updateDeal(t.db, actor, deal.id, { expectedVersion: 1, amount: 200 })).rejects.toBeInstanceOf(StaleVersionError);
      expect((await getDeal(t.db, actor, deal.id)).amount).toBe('100.00');
    });

    it('access: a manager sees his deals and those he observes; supervisors see all', async () => {
      const { actor: a, user: ua } = await makeUser(t.db, ['manager']);
      const { actor: b } = await makeUser(t.db, ['manager']);
      const { actor: boss } = await makeUser(t.db, ['supervisor']);
      const deal = await createDeal(t.db, b, { title: 'чужая сделка' });
      await expect(getDeal(t.db, a, deal.id)).rejects.toBeInstanceOf(AccessDeniedError);
      await expect(moveDealToStage(t.db, a, deal.id, { toStage: 'in_work', expectedVersion: 1 })).rejects.toBeInstanceOf(AccessDeniedError);
      expect((await listDeals(t.db, a, { limit: 200 })).items.map((d) => d.id)).not.toContain(deal.id);
      expect((await getDeal(t.db, boss, deal.id)).id).toBe(deal.id);
      await updateDeal(t.db, b, deal.id, { expectedVersion: 1, observerIds: [ua.id] });
      expect((await getDeal(t.db, a, deal.id)).id).toBe(deal.id);
      expect((await listDeals(t.db, a, { limit: 200 })).items.map((d) => d.id)).toContain(deal.id);
    });

    it('contacts: phone normalized, search by phone digits, pagination by cursor', async () => {
      const { actor } = await makeUser(t.db, ['manager']);
      const created = [];
      for (let i = 0; i < 5; i++) created.push(await createContact(t.db, actor, { firstName: `Иван${i}`, phone: `8 916 000-00-0${i}` }));
      expect(created[0]!.phone).toBe('+79160000000');
      const p1 = await listContacts(t.db, actor, { limit: 2 });
      expect(p1.items).toHaveLength(2);
      const p2 = await listContacts(t.db, actor, { limit: 2, cursor: p1.next_cursor });
      const p3 = await listContacts(t.db, actor, { limit: 2, cursor: p2.next_cursor });
      expect(p3.next_cursor).toBeNull();
      expect([...p1.items, ...p2.items, ...p3.items].map((c) => c.id)).toEqual(created.map((c) => c.id));
      expect((await listContacts(t.db, actor, { q: '0000003' })).items.map((c) => c.firstName)).toEqual(['Иван3']);
      await expect(createContact(t.db, actor, { phone: 'позвоните мне' })).rejects.toBeInstanceOf(ValidationError);
      const upd = await updateContact(t.db, actor, created[0]!.id, { position: 'Главный агроном' });
      expect(upd.position).toBe('Главный агроном');
      expect(upd.firstName).toBe('Иван0');
      const { actor: other } = await makeUser(t.db, ['manager']);
      await expect(getContact(t.db, other, created[0]!.id)).rejects.toBeInstanceOf(AccessDeniedError);
    });

    it('leads: dedup by source + external key; convert to deal + contact + company, once', async () => {
      const { actor } = await makeUser(t.db, ['manager']);
      const first = await createLead(t.db, actor, { title: 'Заявка с сайта', source: 'site', externalKey: 'form-77', custom: {} });
      const again = await createLead(t.db, actor, { title: 'Заявка с сайта (повтор)', source: 'site', externalKey: 'form-77' });
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.lead.id).toBe(first.lead.id);
      expect(first.lead.status).toBe('new');
      await expect(setLeadStatus(t.db, actor, first.lead.id, 'junk')).rejects.toBeInstanceOf(ValidationError);
      await setLeadStatus(t.db, actor, first.lead.id, 'in_work');
      const company = await createCompany(t.db, actor, { name: 'ООО Колос', inn: '7701234560' });
      expect(company.name).toBe('ООО Колос');
      const r = await convertLead(t.db, actor, first.lead.id, {
        contact: { firstName: 'Пётр', lastName: 'Сидоров', phone: '+7 903 555-12-34' },
        company: { name: 'ООО Нива' },
        amount: 3_000_000,
      });
      expect(r.lead.status).toBe('converted');
      expect(r.lead.convertedDealId).toBe(r.deal.id);
      expect(r.deal.contactId).toBe(r.contact!.id);
      expect(r.deal.companyId).toBe(r.company!.id);
      expect(r.contact!.companyId).toBe(r.company!.id);
      expect(r.deal.leadId).toBe(first.lead.id);
      expect(r.deal.source).toBe('site');
      const [stage] = await t.db.select().from(stages).where(eq(stages.id, r.deal.stageId));
      expect(stage?.key).toBe('new');
      const tl = await listTimeline(t.db, 'deal', r.deal.id);
      expect(tl.filter((e) => e.data.copied_from_lead === first.lead.id).length).toBeGreaterThanOrEqual(2);
      await expect(convertLead(t.db, actor, first.lead.id, {})).rejects.toBeInstanceOf(ConflictError);
    });
  });
}
