// A company's configuration over its life, on Postgres and on PGlite: COMPANY_PRESET gives the
// first one; the company's own edit that drops a stage is refused until asked for, then the stage
// is archived with the deal in it; another preset (freight over dealer) is refused with every
// change listed and nothing written, and with --replace it replaces dealer: what records use is
// archived, not deleted; the rest goes. A preset named at start over another configuration is
// not applied, and says so in one warning.
import { readFile } from 'node:fs/promises';
import { asc, count, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import { auditLog, companyConfigVersions, customFieldDefs, deals, leads, pipelines, stages } from '../../../db/schema/index.ts';
import type { Actor } from '../../../src/crm/actor.ts';
import { getDealCard } from '../../../src/crm/cards.ts';
import { findCompanyConfig } from '../../../src/crm/company-config.ts';
import { loadFieldDefs } from '../../../src/crm/custom-fields.ts';
import { createDeal } from '../../../src/crm/deals.ts';
import { NotFoundError, UnknownStageError } from '../../../src/crm/errors.ts';
import { createLead } from '../../../src/crm/leads.ts';
import { moveDealToStage } from '../../../src/crm/move-deal.ts';
import { getPipeline, listPipelines, resolveStage } from '../../../src/crm/pipelines.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { applyPreset, previewConfiguration, ReplaceRequiredError } from '../../../src/presets/apply-preset.ts';
import { formatChange } from '../../../src/presets/config-diff.ts';
import { loadPreset, parsePreset } from '../../../src/presets/load-preset.ts';
import { applyCompanyPresetOnStart } from '../../../src/presets/preset-on-start.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

const kinds: DbKind[] = ['postgres', 'pglite'];
const file = { fileId: 'tg-file-proposal', name: 'proposal.pdf', size: 2048, mime: 'application/pdf' };

describe.each(kinds)('the company configuration on %s', (kind) => {
  let t: TestDb;
  let manager: Actor;
  const logLines: Record<string, unknown>[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
  const ids: { inDeferred?: number; withProposal?: number; junkLead?: number } = {};

  beforeAll(async () => {
    t = await createTestDb(kind, 'config_replace');
    manager = (await makeUser(t.db, ['manager'])).actor;
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  /** Everything applying writes, to show that a refusal wrote none of it. */
  async function snapshot() {
    return {
      pipelines: await t.db.select().from(pipelines).orderBy(asc(pipelines.id)),
      stages: await t.db.select().from(stages).orderBy(asc(stages.id)),
      fields: await t.db.select().from(customFieldDefs).orderBy(asc(customFieldDefs.id)),
      versions: await t.db.select().from(companyConfigVersions).orderBy(asc(companyConfigVersions.version)),
      audit: (await t.db.select({ n: count() }).from(auditLog))[0]!.n,
    };
  }

  async function refusal(preset: Parameters<typeof applyPreset>[1]): Promise<ReplaceRequiredError> {
    try {
      await applyPreset(t.db, preset, systemActor);
    } catch (err) {
      expect(err).toBeInstanceOf(ReplaceRequiredError);
      return err as ReplaceRequiredError;
    }
    throw new Error('applied without --replace');
  }

  it('COMPANY_PRESET applies on the first start, once when two processes start together; the next start changes nothing, silently', async () => {
    const both = await Promise.all([applyCompanyPresetOnStart(t.db, 'dealer', log), applyCompanyPresetOnStart(t.db, 'dealer', log)]);
    expect(both).toEqual(expect.arrayContaining([{ applied: true, version: 1 }, { applied: false, differs: false }]));
    expect(logLines.map((l) => l.msg)).toEqual(['company preset applied on first start']);
    expect(await t.db.select().from(companyConfigVersions)).toHaveLength(1);
    expect(await applyCompanyPresetOnStart(t.db, 'dealer', log)).toEqual({ applied: false, differs: false });
    expect(logLines).toHaveLength(1);
  });

  it("the company's own edit dropping a stage with a deal in it: refused with the change; with replace the stage is archived and the deal stays", async () => {
    const deal = await createDeal(t.db, manager, { title: 'Комбайн, вернуться осенью', stage: 'deferred' });
    ids.inDeferred = deal.id;
    const dealer = await readFile(new URL('../../../src/presets/dealer.yaml', import.meta.url), 'utf8');
    const line = '      - { key: deferred, name: Отложенный спрос, requires: [next_contact_date] }\n';
    expect(dealer).toContain(line);
    const own = parsePreset(dealer.replace(line, '').replace('name: dealer', 'name: dealer-own'), 'our-company.yaml');

    const before = await snapshot();
    const refused = await refusal(own);
    expect(refused.current).toEqual({ version: 1, name: 'dealer', source: 'preset:dealer' });
    expect(refused.changes.map(formatChange)).toEqual([
      '~ name: dealer → dealer-own',
      '- stage farm/deferred «Отложенный спрос» (requires next_contact_date) — 1 deal in it; archived: its deals stay in it and can be moved on',
      '- stage road/deferred «Отложенный спрос» (requires next_contact_date)',
    ]);
    expect(await snapshot()).toEqual(before);

    const applied = await applyPreset(t.db, own, systemActor, { replace: true, source: 'file:/srv/acme/our-company.yaml' });
    expect(applied).toMatchObject({ version: 2, changed: true });
    const farm = await getPipeline(t.db, { key: 'farm' });
    const road = await getPipeline(t.db, { key: 'road' });
    const [farmDeferred] = await t.db.select().from(stages).where(eq(stages.id, deal.stageId));
    expect(farmDeferred).toMatchObject({ pipelineId: farm.id, key: 'deferred', isArchived: true });
    expect((await t.db.select().from(stages).where(eq(stages.pipelineId, road.id))).map((s) => s.key)).not.toContain('deferred');
    expect(farm.stages.map((s) => s.key)).not.toContain('deferred');
    await expect(resolveStage(t.db, farm.id, 'deferred')).rejects.toBeInstanceOf(UnknownStageError);
    // The deal is where it was, its card says so, and it can be moved on (not back).
    const card = await getDealCard(t.db, manager, deal.id);
    expect(card.stage.key).toBe('deferred');
    expect(card.pipeline.stages.map((s) => s.key)).toEqual(['new', 'in_work', 'proposal_sent', 'deferred', 'invoice_sent', 'shipment', 'closing_docs', 'won', 'lost']);
    const moved = await moveDealToStage(t.db, manager, deal.id, { toStage: 'in_work', expectedVersion: deal.version });
    expect(moved.to.key).toBe('in_work');
    await expect(moveDealToStage(t.db, manager, deal.id, { toStage: 'deferred', expectedVersion: moved.deal.version })).rejects.toBeInstanceOf(UnknownStageError);
    const [version] = await t.db.select().from(companyConfigVersions).where(eq(companyConfigVersions.version, 2));
    expect(version).toMatchObject({ preset: 'dealer-own', source: 'file:/srv/acme/our-company.yaml' });
  });

  it('dealer then freight: refused, every change listed with the records it touches, nothing written', async () => {
    // Back to the shipped dealer: the deferred stage comes back from the archive.
    const restored = await applyPreset(t.db, await loadPreset('dealer'), systemActor, { replace: true });
    expect(restored.changes.map(formatChange)).toEqual([
      '~ name: dealer-own → dealer',
      '+ stage farm/deferred «Отложенный спрос» (requires next_contact_date) — back from the archive',
      '+ stage road/deferred «Отложенный спрос» (requires next_contact_date)',
    ]);
    const withProposal = await createDeal(t.db, manager, { title: 'Трактор МТЗ-82', custom: { proposal_file: file } });
    ids.withProposal = withProposal.id;
    const { lead } = await createLead(t.db, manager, { title: 'Не наш клиент', source: 'site' });
    await t.db.update(leads).set({ status: 'junk', statusReason: 'спам' }).where(eq(leads.id, lead.id));
    ids.junkLead = lead.id;

    const freight = await loadPreset('freight');
    const before = await snapshot();
    const refused = await refusal(freight);
    expect(refused.current).toMatchObject({ version: 3, name: 'dealer', source: 'preset:dealer' });
    const lines = refused.changes.map(formatChange);
    expect(lines).toEqual(
      expect.arrayContaining([
        '~ name: dealer → freight',
        '- pipeline farm «Сельскохозяйственная техника» (9 stages: new → in_work → proposal_sent → deferred → invoice_sent → shipment → closing_docs → won → lost) — 2 deals in it (2 open); archived: its deals stay in it, no new ones',
        '- pipeline road «Дорожно-строительная техника» (9 stages: new → in_work → proposal_sent → deferred → invoice_sent → shipment → closing_docs → won → lost)',
        '+ pipeline requests «Запросы» (7 stages: new → quote → need_truck → pause → agreement → won → lost)',
        '~ default pipeline: farm → requests',
        '~ conversion: farm/new → requests/new',
        '- deal field proposal_file «КП» (file) — 1 deal holds a value; archived: the values are kept, no new ones',
        '- deal field upd_file «УПД» (file)',
        '+ deal field weight «Вес груза, кг» (number)',
        '- lead status junk «Некачественный» (rejected, asks a reason) — 1 lead has it, kept as it is',
        '- lead source own_search «Собственный поиск»',
        '~ lead source site: name «Форма на сайте» → «Сайт»',
        '- intake question equipment «Какая техника вас интересует?» (string)',
        '- rule proposal_stuck farm/proposal_sent after 3d: notify_supervisor, once',
        '+ rule transit_check_in orders/in_transit after 12h: create_task, every time',
        '- loss reason «Дорого»',
        '~ setting propagateResponsible: false → true',
      ]),
    );
    expect(new Set(lines).size).toBe(lines.length);
    expect(await snapshot()).toEqual(before);

    const preview = await previewConfiguration(t.db, freight);
    expect(preview.changes.map(formatChange)).toEqual(lines);
    expect(await snapshot()).toEqual(before);
  });

  it("with replace freight replaces dealer: dealer's pipelines with deals archived, not deleted; freight's default is the default", async () => {
    const dealsBefore = await t.db.select().from(deals).orderBy(asc(deals.id));
    const applied = await applyPreset(t.db, await loadPreset('freight'), systemActor, { replace: true });
    expect(applied).toMatchObject({ version: 4, changed: true });

    const rows = await t.db.select().from(pipelines).orderBy(asc(pipelines.sortOrder), asc(pipelines.id));
    expect((await listPipelines(t.db)).map((p) => p.key)).toEqual(['requests', 'orders', 'hr']);
    expect(rows.filter((p) => p.isDefault).map((p) => p.key)).toEqual(['requests']);
    const farm = rows.find((p) => p.key === 'farm');
    expect(farm).toMatchObject({ isArchived: true, isDefault: false });
    expect(rows.find((p) => p.key === 'road')).toBeUndefined();
    expect(await t.db.select().from(deals).orderBy(asc(deals.id))).toEqual(dealsBefore.map((d) => ({ ...d })));
    await expect(getPipeline(t.db, { id: farm!.id })).rejects.toBeInstanceOf(NotFoundError);

    const [proposal] = await t.db.select().from(customFieldDefs).where(eq(customFieldDefs.key, 'proposal_file'));
    expect(proposal).toMatchObject({ entity: 'deal', isArchived: true });
    expect(await t.db.select().from(customFieldDefs).where(eq(customFieldDefs.key, 'upd_file'))).toEqual([]);
    const [kept] = await t.db.select().from(deals).where(eq(deals.id, ids.withProposal!));
    expect(kept!.custom).toEqual({ proposal_file: file });
    const freight = await loadPreset('freight');
    expect((await loadFieldDefs(t.db, 'deal')).map((d) => d.key)).toEqual(freight.customFields.deal.map((f) => f.key));

    const fresh = await createDeal(t.db, manager, { title: 'Москва → Казань, 20 т' });
    const requests = await getPipeline(t.db, {});
    expect(requests.key).toBe('requests');
    expect(fresh.pipelineId).toBe(requests.id);
    expect(fresh.stageId).toBe(requests.stages[0]!.id);
    expect((await findCompanyConfig(t.db))?.config.name).toBe('freight');
    const [lead] = await t.db.select().from(leads).where(eq(leads.id, ids.junkLead!));
    expect(lead!.status).toBe('junk');
    const [version] = await t.db.select().from(companyConfigVersions).where(eq(companyConfigVersions.version, 4));
    expect(version).toMatchObject({ preset: 'freight', source: 'preset:freight' });

    expect(await applyPreset(t.db, freight, systemActor)).toEqual({ version: 4, changed: false, changes: [] });
    expect(await t.db.select().from(companyConfigVersions)).toHaveLength(4);
  });

  it('a pipeline back from the archive has only the stages the configuration gives it; the others go as any dropped stage', async () => {
    const freight = await loadPreset('freight');
    const farm = { key: 'farm', name: 'Поле', default: false, stages: freight.pipelines[0]!.stages.filter((s) => ['new', 'won', 'lost'].includes(s.key)) };
    const withFarm = { ...freight, name: 'freight-farm', pipelines: [...freight.pipelines, farm] };
    const applied = await applyPreset(t.db, withFarm, systemActor, { replace: true });
    expect(applied.changes.map(formatChange)).toEqual([
      '~ name: freight → freight-farm',
      '+ pipeline farm «Поле» (3 stages: new → won → lost) — back from the archive',
    ]);
    const pl = await getPipeline(t.db, { key: 'farm' });
    expect(pl.stages.map((s) => s.key)).toEqual(['new', 'won', 'lost']);
    // in_work holds a deal and deferred was passed through: archived; the rest held nothing: gone.
    const rows = await t.db.select().from(stages).where(eq(stages.pipelineId, pl.id)).orderBy(asc(stages.sortOrder));
    expect(rows.filter((r) => r.isArchived).map((r) => r.key).sort()).toEqual(['deferred', 'in_work']);
    expect(rows.map((r) => r.key).sort()).toEqual(['deferred', 'in_work', 'lost', 'new', 'won']);
    const [inWork] = await t.db.select().from(deals).where(eq(deals.id, ids.inDeferred!));
    expect(rows.find((r) => r.id === inWork!.stageId)?.key).toBe('in_work');
    expect(await applyPreset(t.db, freight, systemActor, { replace: true })).toMatchObject({ version: 6, changed: true });
  });

  it('COMPANY_PRESET naming another configuration than the one in force: not applied, one warning', async () => {
    logLines.length = 0;
    expect(await applyCompanyPresetOnStart(t.db, 'dealer', log)).toEqual({ applied: false, differs: true });
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toMatchObject({ level: 40, preset: 'dealer', configured: 'freight', version: 6 });
    expect(String(logLines[0]!.msg)).toContain('COMPANY_PRESET=dealer not applied: the database already has configuration "freight" (version 6, preset:freight)');
    expect((await findCompanyConfig(t.db))?.version).toBe(6);
  });
});
