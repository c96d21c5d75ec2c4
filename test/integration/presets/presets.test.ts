// The five company presets: each loads, and applied on a fresh database of its own (each is a
// different company) it creates the pipelines, stages and custom fields its case study asks for;
// applying it again writes no second config version, and its export is taken back unchanged.
// On Postgres and on PGlite. A broken preset, or a company's own file, is refused with the line,
// the column and the path of each thing that is wrong.
import { readFile } from 'node:fs/promises';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { companyConfigVersions, customFieldDefs, pipelines, stages } from '../../../db/schema/index.ts';
import type { DbKind } from '../../../db/client.ts';
import type { PresetName } from '../../../src/config.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { applyPreset } from '../../../src/presets/apply-preset.ts';
import { findAppliedConfiguration } from '../../../src/crm/company-config.ts';
import { configurationYaml } from '../../../src/presets/export-config.ts';
import { loadPreset, PresetError, parsePreset } from '../../../src/presets/load-preset.ts';
import type { Preset } from '../../../src/presets/preset-schema.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

type Entity = 'contact' | 'company' | 'lead' | 'deal';

interface Expected {
  /** Pipeline key → number of stages, in the preset's order. */
  pipelines: Record<string, number>;
  defaultPipeline: string;
  fields: Record<Entity, number>;
  conversion: { pipeline: string; stage: string };
  /** pipeline/stage → the fields required to enter it. */
  requirements: Record<string, string[]>;
  /** The preset's own checks beyond the counts. */
  check?: (p: Preset) => void;
}

const expected: Record<PresetName, Expected> = {
  dealer: {
    pipelines: { farm: 9, road: 9 },
    defaultPipeline: 'farm',
    fields: { contact: 0, company: 1, lead: 2, deal: 11 },
    conversion: { pipeline: 'farm', stage: 'new' },
    requirements: { 'farm/lost': ['loss_reason'], 'road/proposal_sent': ['proposal_file'] },
    check: (p) => expect(p.rules.map((r) => `${r.pipeline}/${r.stage}/${r.after}/${r.action}`)).toEqual([
      'farm/proposal_sent/3d/notify_supervisor',
      'road/proposal_sent/3d/notify_supervisor',
    ]),
  },
  'b2b-supply': {
    pipelines: { development: 6, service: 4 },
    defaultPipeline: 'development',
    fields: { contact: 7, company: 3, lead: 2, deal: 4 },
    conversion: { pipeline: 'development', stage: 'prospect' },
    requirements: {
      'development/lost': ['loss_reason'],
      'service/lost': ['loss_reason'],
      'service/fully_done': ['shipped_amount'],
    },
    check: (p) => {
      expect(p.leadStatuses.map((s) => [s.name, s.kind, s.requiresReason])).toEqual([
        ['Обращение', 'open', false],
        ['Идентификация', 'open', false],
        ['Просроченная идентификация', 'open', false],
        ['Целевой лид', 'converted', false],
        ['Забракованный лид', 'rejected', true],
      ]);
      expect(p.pipelines.map((pl) => pl.name)).toEqual(['Развитие', 'Сервис']);
      expect(p.pipelines[1]!.stages.map((s) => s.name)).toEqual([
        'Сделка запланирована',
        'Сделка частично завершена',
        'Сделка окончательно завершена',
        'Сделка сорвана',
      ]);
      // Last-call data shows on the contact and on its company.
      for (const entity of ['contact', 'company'] as const)
        expect(p.customFields[entity].map((f) => f.key)).toEqual(expect.arrayContaining(['last_call_date', 'last_call_type']));
      expect(p.leadSources.map((s) => s.key)).toEqual(expect.arrayContaining(['phone', 'site', 'email', 'telegram', 'whatsapp']));
      expect(p.settings.propagateResponsible).toBe(true);
    },
  },
  accessories: {
    pipelines: { sales: 5 },
    defaultPipeline: 'sales',
    fields: { contact: 4, company: 0, lead: 5, deal: 15 },
    conversion: { pipeline: 'sales', stage: 'payment' },
    requirements: {
      'sales/shipment': ['invoice_file', 'payment_date'],
      'sales/feedback': ['tracking_number', 'delivery_date'],
      'sales/lost': ['loss_reason'],
    },
    check: (p) => {
      expect(p.leadStatuses.slice(0, 4).map((s) => s.name)).toEqual(['Не обработан', 'Консультация', 'Обработка', 'Уточнение информации']);
      expect(p.leadStatuses.find((s) => s.kind === 'rejected')?.requiresReason).toBe(true);
      expect(p.pipelines[0]!.stages.map((s) => s.key)).toEqual(['payment', 'shipment', 'feedback', 'won', 'lost']);
      const q = Object.fromEntries(p.intake.questions.map((x) => [x.key, x]));
      expect(Object.keys(q)).toEqual(['city', 'payment_form', 'delivery_method', 'contact_method', 'product']);
      expect(q.payment_form!.type).toBe('enum');
      expect(q.payment_form!.options).toContain('Наличные');
      expect(q.delivery_method!.options.length).toBeGreaterThan(1);
      expect(q.city!.text.ru).toMatch(/город/);
      expect(q.city!.text.en).toMatch(/city/);
    },
  },
  freight: {
    pipelines: { requests: 7, orders: 6, hr: 6 },
    defaultPipeline: 'requests',
    fields: { contact: 0, company: 1, lead: 8, deal: 26 },
    conversion: { pipeline: 'requests', stage: 'new' },
    requirements: {
      'requests/lost': ['loss_reason', 'comment'],
      'requests/pause': ['client_rate'],
      'orders/done': ['client_rate', 'carrier_rate', 'waybill_file'],
      'hr/rejected': ['loss_reason'],
    },
    check: (p) => {
      expect(p.pipelines.map((pl) => pl.name)).toEqual(['Запросы', 'Заявки', 'Подбор персонала']);
      expect(p.pipelines[1]!.stages.map((s) => s.key)).toEqual(['documents', 'loading', 'in_transit', 'unloading', 'done', 'lost']);
      expect(p.leadSources.map((s) => s.key)).toEqual(expect.arrayContaining(['whatsapp', 'telegram', 'site', 'phone', 'email', 'avito', 'hh']));
      const deal = Object.fromEntries(p.customFields.deal.map((f) => [f.key, f]));
      expect(deal.weight!.type).toBe('number');
      expect(deal.distance_km!.type).toBe('number');
      expect(deal.loading_date!.type).toBe('date');
      expect([deal.client_rate!.type, deal.carrier_rate!.type]).toEqual(['money', 'money']);
      expect(deal.vehicle_type!.options).toHaveLength(9);
      expect(p.intake.questions.map((q) => q.key)).toEqual(expect.arrayContaining(['route_from', 'route_to', 'cargo', 'weight', 'loading_date']));
      expect(p.rules.map((r) => `${r.pipeline}/${r.stage}/${r.after}/${r.action}/${r.once}`)).toEqual([
        'requests/new/0m/notify_responsible/true',
        'requests/need_truck/0m/notify_responsible/true',
        'orders/in_transit/12h/create_task/false',
        'orders/done/1d/create_task/true',
      ]);
    },
  },
  lab: {
    pipelines: { sales: 11, procurement: 7, subcontracts: 6 },
    defaultPipeline: 'sales',
    fields: { contact: 0, company: 0, lead: 2, deal: 19 },
    conversion: { pipeline: 'sales', stage: 'new' },
    requirements: {
      'sales/invoice_sent': ['contract_file', 'invoice_file', 'amount'],
      'sales/paid': ['paid_amount', 'payment_date'],
      'procurement/won': ['paid_amount', 'payment_date'],
      'subcontracts/lost': ['loss_reason'],
    },
    check: (p) => {
      expect(p.pipelines.map((pl) => pl.name)).toEqual(['Продажи', 'Госзакупки', 'Субподряды']);
      const forgotten = p.rules.filter((r) => r.pipeline === 'sales' && r.stage === 'qualified' && r.action === 'notify_supervisor');
      expect(forgotten.map((r) => [r.kind, r.after, r.once])).toEqual([
        ['stage_timeout', '15d', true],
        ['stage_timeout', '30d', true],
      ]);
      expect(p.pipelines[1]!.stages.map((s) => s.key)).toEqual(
        expect.arrayContaining(['contract_signed', 'contract_fulfilled', 'payment_control', 'won', 'lost']),
      );
      expect(p.settings.propagateResponsible).toBe(true);
      expect(p.timezone).toBe('Asia/Barnaul');
    },
  },
};

const presetEntries = Object.entries(expected) as [PresetName, Expected][];
const kinds: DbKind[] = ['postgres', 'pglite'];

describe.each(kinds.flatMap((kind) => presetEntries.map(([name, exp]) => [name, kind, exp] as const)))('preset %s on %s', (name, kind, exp) => {
  let t: TestDb;
  let preset: Preset;

  beforeAll(async () => {
    preset = await loadPreset(name);
    t = await createTestDb(kind, `preset_${name}`);
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });

  it('validates and keeps the case study shape', () => {
    expect(preset.name).toBe(name);
    expect(Object.fromEntries(preset.pipelines.map((pl) => [pl.key, pl.stages.length]))).toEqual(exp.pipelines);
    expect(preset.conversion).toEqual(exp.conversion);
    for (const pl of preset.pipelines)
      for (const s of pl.stages.filter((x) => x.kind === 'lost')) expect(s.requires, `${pl.key}/${s.key}`).toContain('loss_reason');
    for (const [where, fields] of Object.entries(exp.requirements)) {
      const [pk, sk] = where.split('/');
      expect(preset.pipelines.find((pl) => pl.key === pk)?.stages.find((s) => s.key === sk)?.requires, where).toEqual(fields);
    }
    exp.check?.(preset);
  });

  it('gives every intake answer a typed home on the lead, carried to the deal as the same type', () => {
    const lead = new Map(preset.customFields.lead.map((f) => [f.key, f]));
    for (const q of preset.intake.questions) {
      expect(lead.get(q.key), q.key).toMatchObject({ type: q.type, options: q.options });
    }
    for (const f of preset.customFields.deal) {
      const same = lead.get(f.key);
      if (same) expect({ type: f.type, options: f.options }, f.key).toEqual({ type: same.type, options: same.options });
    }
  });

  it(
    'applies on a fresh database; applying again leaves one config version',
    async () => {
      const first = await applyPreset(t.db, preset, systemActor);
      expect(first).toMatchObject({ version: 1, changed: true });

      const pls = await t.db.select().from(pipelines).orderBy(asc(pipelines.sortOrder));
      expect(pls.map((p) => p.key)).toEqual(Object.keys(exp.pipelines));
      expect(pls.filter((p) => p.isDefault).map((p) => p.key)).toEqual([exp.defaultPipeline]);
      for (const pl of pls) {
        const rows = await t.db.select().from(stages).where(eq(stages.pipelineId, pl.id));
        expect(rows, pl.key).toHaveLength(exp.pipelines[pl.key]!);
      }
      const totalStages = Object.values(exp.pipelines).reduce((a, b) => a + b, 0);
      const allStages = await t.db.select().from(stages);
      expect(allStages).toHaveLength(totalStages);
      for (const [where, fields] of Object.entries(exp.requirements)) {
        const [pk, sk] = where.split('/');
        const pl = pls.find((p) => p.key === pk)!;
        const row = allStages.find((s) => s.pipelineId === pl.id && s.key === sk);
        expect(row?.requirements, where).toEqual(fields.map((field) => ({ field })));
      }
      const conv = allStages.find((s) => s.pipelineId === pls.find((p) => p.key === exp.conversion.pipeline)!.id && s.key === exp.conversion.stage);
      expect(conv?.kind).toBe('open');

      const defs = await t.db.select().from(customFieldDefs);
      const byEntity = { contact: 0, company: 0, lead: 0, deal: 0 };
      for (const d of defs) byEntity[d.entity as Entity] += 1;
      expect(byEntity).toEqual(exp.fields);

      const again = await applyPreset(t.db, await loadPreset(name), systemActor);
      expect(again).toEqual({ version: 1, changed: false, changes: [] });
      const versions = await t.db.select().from(companyConfigVersions);
      expect(versions).toHaveLength(1);
      expect(versions[0]!.preset).toBe(name);
      expect(versions[0]!.source).toBe(`preset:${name}`);
      expect(await t.db.select().from(stages)).toHaveLength(totalStages);
      expect(await t.db.select().from(customFieldDefs)).toHaveLength(defs.length);
    },
    60_000,
  );

  it('exports a file that seed takes back unchanged: no new version', async () => {
    const found = await findAppliedConfiguration(t.db);
    const yaml = configurationYaml(found!.config, found!);
    const back = parsePreset(yaml, `${name}-export.yaml`);
    expect(back).toEqual(found!.config);
    const again = await applyPreset(t.db, back, systemActor, { source: 'file:/tmp/exported.yaml' });
    expect(again).toEqual({ version: 1, changed: false, changes: [] });
    expect(await t.db.select().from(companyConfigVersions)).toHaveLength(1);
  });
});

describe('a broken preset', () => {
  const text = (name: string) => readFile(new URL(`../../../src/presets/${name}.yaml`, import.meta.url), 'utf8');

  function broken(original: string, from: string, to: string): string {
    expect(original).toContain(from);
    return original.replace(from, to);
  }

  it('is refused when a stage requires an unknown field, naming line, column and the path', async () => {
    const yaml = broken(await text('accessories'), 'requires: [tracking_number, delivery_date]', 'requires: [tracking_no, delivery_date]');
    const err = refusal('accessories.yaml', yaml);
    expect(err.message).toContain(`accessories.yaml:${at(yaml, 'tracking_no')} pipelines[0].stages[2].requires[0]: unknown deal field "tracking_no"`);
    expect(err.message).toMatch(/accessories.yaml: invalid configuration, 1 problem$/);
  });

  it('is refused on a duplicate stage key, naming where', async () => {
    const yaml = broken(await text('lab'), '{ key: negotiations, name: Переговоры }', '{ key: qualified, name: Переговоры }');
    expect(refusal('lab.yaml', yaml).message).toContain(`lab.yaml:${at(yaml, 'qualified, name: Переговоры')} pipelines[0].stages[2].key: duplicate key "qualified"`);
  });

  it('is refused when a rule names a stage its pipeline does not have', async () => {
    const yaml = broken(await text('freight'), 'stage: need_truck\n', 'stage: need_a_truck\n');
    expect(refusal('freight.yaml', yaml).message).toContain(`freight.yaml:${at(yaml, 'need_a_truck')} rules[1].stage: unknown stage requests/need_a_truck`);
  });

  it('is refused when it is not YAML at all, naming the line', async () => {
    const yaml = broken(await text('b2b-supply'), 'propagateResponsible: true', 'propagateResponsible: true: yes');
    const err = refusal('b2b-supply.yaml', yaml);
    expect(err.message).toMatch(new RegExp(`^b2b-supply.yaml:${at(yaml, 'propagateResponsible: true: yes').split(':')[0]}:\\d+ YAML: `));
    expect(err.message).toMatch(/b2b-supply.yaml: not valid YAML, 1 problem$/);
  });
});

describe("a company's own YAML", () => {
  // A small configuration as a company writes it: lines counted from 1, columns too.
  const company = [
    'name: acme',
    'title: ACME Logistics',
    'leadSources:',
    '  - { key: telegram, name: Telegram }',
    'leadStatuses:',
    '  - { key: new, name: New }',
    '  - { key: done, name: Done, kind: converted }',
    'customFields:',
    '  deal:',
    '    - { key: loss_reason, label: Reason, type: string }',
    'pipelines:',
    '  - key: sales',
    '    name: Sales',
    '    stages:',
    '      - { key: new, name: New }',
    '      - key: won',
    '        name: Won',
    '        kind: won',
    '        requires: [amount]',
    '      - { key: lost, name: Lost, kind: lost, requires: [loss_reason] }',
    'conversion: { pipeline: sales, stage: new }',
    '',
  ].join('\n');

  it('is accepted as it is', () => {
    expect(parsePreset(company, 'our-company.yaml').pipelines[0]!.stages.map((s) => s.key)).toEqual(['new', 'won', 'lost']);
  });

  it('with a wrong field: the line, the column and the field are named', () => {
    const yaml = broken(company, '        requires: [amount]', '        requires: amount');
    const err = refusal('our-company.yaml', yaml);
    expect(err.issues).toEqual([{ line: 19, col: 19, path: 'pipelines[0].stages[1].requires', message: 'Invalid input: expected array, received string' }]);
    expect(err.message.split('\n')[0]).toBe('our-company.yaml:19:19 pipelines[0].stages[1].requires: Invalid input: expected array, received string');
  });

  it('with a misspelt key, a missing one and an unknown type: each named where it is', () => {
    let yaml = broken(company, '        kind: won', '        knd: won');
    yaml = broken(yaml, '    name: Sales\n', '');
    yaml = broken(yaml, 'type: string', 'type: text');
    const issues = refusal('our-company.yaml', yaml).issues.map((i) => `${i.line}:${i.col} ${i.path}: ${i.message}`);
    expect(issues).toEqual([
      `10:${col(yaml, 'text')} customFields.deal[0].type: Invalid option: expected one of "number"|"string"|"date"|"money"|"enum"|"file"|"boolean"`,
      '12:5 pipelines[0].name: missing (expected string)',
      '17:9 pipelines[0].stages[1].knd: unknown key "knd"',
    ]);
  });

  it('anchors kept under x- keys and merged with <<: an error inside one is named where it is written', () => {
    const shared = ['x-stages: &stages', '  name: Sales', '  nme: typo', ''].join('\n');
    const yaml = shared + broken(company, '    name: Sales\n', '    <<: *stages\n');
    expect(refusal('our-company.yaml', yaml).issues).toEqual([{ line: 3, col: 3, path: 'pipelines[0].nme', message: 'unknown key "nme"' }]);
    expect(parsePreset(yaml.replace('  nme: typo\n', ''), 'our-company.yaml').pipelines[0]!.name).toBe('Sales');
    expect(refusal('our-company.yaml', yaml.replace('x-stages', 'stages_base').replace('  nme: typo\n', '')).message).toContain(
      'our-company.yaml:1:1 stages_base: unknown key "stages_base"',
    );
  });

  it('a syntax error names its line', () => {
    const yaml = broken(company, '    name: Sales', '    name: Sales: Moscow');
    const err = refusal('our-company.yaml', yaml);
    expect(err.issues[0]).toMatchObject({ line: 13, path: 'YAML' });
    expect(err.message).toMatch(/^our-company.yaml:13:\d+ YAML: /);
  });

  function broken(original: string, from: string, to: string): string {
    expect(original).toContain(from);
    return original.replace(from, to);
  }
});

function refusal(source: string, yaml: string): PresetError {
  try {
    parsePreset(yaml, source);
  } catch (e) {
    expect(e).toBeInstanceOf(PresetError);
    return e as PresetError;
  }
  throw new Error(`${source} was accepted`);
}

/** `line:col` (from 1) of the first occurrence of `needle`. */
function at(text: string, needle: string): string {
  const i = text.indexOf(needle);
  expect(i).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}
const col = (text: string, needle: string) => at(text, needle).split(':')[1];
