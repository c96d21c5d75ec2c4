// Before a configuration is applied: what it would change against the one in force, and which
// records each change touches. Pipelines, stages and fields are compared with the rows the
// database has (so a database the old merging left with extra pipelines shows them), the rest
// with the newest configuration document.
import { and, asc, count, desc, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import {
  companies,
  companyConfigVersions,
  contacts,
  type CustomFieldDef,
  customFieldDefs,
  deals,
  leads,
  type Pipeline,
  pipelines,
  type Stage,
  stageHistory,
  stages,
} from '../../db/schema/index.ts';
import { type ConfigChange, diffConfigurations, emptyConfiguration, type FieldEntity, stableStringify } from './config-diff.ts';
import { type Preset, presetSchema } from './preset-schema.ts';

export interface CurrentConfiguration {
  version: number;
  /** The configuration's own name. */
  name: string;
  source: string | null;
}

/** A row the next configuration no longer has: archived when records use it, deleted otherwise. */
export interface DroppedRow {
  id: number;
  used: boolean;
}

export interface ConfigPlan {
  /** The configuration in force; null when the company has none yet. */
  current: CurrentConfiguration | null;
  changes: ConfigChange[];
  /** The same document and the tables agree with it: applying writes nothing. */
  unchanged: boolean;
  drops: { pipelines: DroppedRow[]; stages: DroppedRow[]; fields: DroppedRow[] };
}

const fieldTables = { contact: contacts, company: companies, lead: leads, deal: deals } as const;
const plural: Record<FieldEntity, string> = { contact: 'contacts', company: 'companies', lead: 'leads', deal: 'deals' };
const byOrder = <T extends { sortOrder: number; id: number }>(a: T, b: T) => a.sortOrder - b.sortOrder || a.id - b.id;

export async function planConfiguration(db: Db, next: Preset): Promise<ConfigPlan> {
  const [latest] = await db.select().from(companyConfigVersions).orderBy(desc(companyConfigVersions.version)).limit(1);
  const pipelineRows = await db.select().from(pipelines).orderBy(asc(pipelines.sortOrder), asc(pipelines.id));
  const stageRows = await db.select().from(stages).orderBy(asc(stages.sortOrder), asc(stages.id));
  const fieldRows = await db.select().from(customFieldDefs).orderBy(asc(customFieldDefs.sortOrder), asc(customFieldDefs.id));

  const document = latest ? presetSchema.parse(latest.document) : null;
  const livePipelines = pipelineRows.filter((p) => !p.isArchived);
  const liveStages = stageRows.filter((s) => !s.isArchived);
  const liveFields = fieldRows.filter((f) => !f.isArchived);
  const before = document || livePipelines.length || liveFields.length ? viewOf(document, livePipelines, liveStages, liveFields) : null;
  const changes = diffConfigurations(before, next);
  const documentSame = document !== null && stableStringify(document) === stableStringify(next);
  if (documentSame && changes.length === 0) {
    return { current: currentOf(latest!), changes, unchanged: true, drops: { pipelines: [], stages: [], fields: [] } };
  }
  if (changes.length === 0) changes.push({ op: 'change', subject: 'configuration', ref: '', detail: 'differs in details not listed above' });

  const drops = await countRecords(db, changes, next, { pipelines: pipelineRows, stages: stageRows, fields: fieldRows });
  return { current: latest ? currentOf(latest) : null, changes, unchanged: false, drops };
}

const currentOf = (row: typeof companyConfigVersions.$inferSelect): CurrentConfiguration => ({
  version: row.version,
  name: row.preset ?? String((row.document as { name?: unknown }).name ?? ''),
  source: row.source,
});

/** The configuration in force as the next one is compared with: its tables where it has rows. */
function viewOf(document: Preset | null, pls: Pipeline[], sts: Stage[], defs: CustomFieldDef[]): Preset {
  const base = document ?? emptyConfiguration;
  const fieldsOf = (entity: FieldEntity) =>
    defs
      .filter((d) => d.entity === entity)
      .sort(byOrder)
      .map((d) => ({ key: d.key, label: d.label, type: d.type, options: d.options, required: d.isRequired }));
  return {
    ...base,
    pipelines: [...pls].sort(byOrder).map((p) => ({
      key: p.key,
      name: p.name,
      default: p.isDefault,
      stages: sts
        .filter((s) => s.pipelineId === p.id)
        .sort(byOrder)
        .map((s) => ({
          key: s.key,
          name: s.name,
          kind: s.kind,
          requires: s.requirements.map((r) => r.field),
          ...(s.allowedFrom ? { allowedFrom: s.allowedFrom } : {}),
        })),
    })),
    customFields: { contact: fieldsOf('contact'), company: fieldsOf('company'), lead: fieldsOf('lead'), deal: fieldsOf('deal') },
  };
}

const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;

/** Fills each change with the records it touches, and lists the rows to archive or delete. */
async function countRecords(
  db: Db,
  changes: ConfigChange[],
  next: Preset,
  rows: { pipelines: Pipeline[]; stages: Stage[]; fields: CustomFieldDef[] },
): Promise<ConfigPlan['drops']> {
  const drops: ConfigPlan['drops'] = { pipelines: [], stages: [], fields: [] };
  const dealsByStage = new Map<number, number>();
  for (const r of await db.select({ stageId: deals.stageId, n: count() }).from(deals).groupBy(deals.stageId)) dealsByStage.set(r.stageId, r.n);
  const pipelineByKey = new Map(rows.pipelines.map((p) => [p.key, p]));
  const stagesOf = (pipelineId: number) => rows.stages.filter((s) => s.pipelineId === pipelineId);
  const historyOf = async (stageIds: number[]) => {
    if (!stageIds.length) return 0;
    const [r] = await db
      .select({ n: count() })
      .from(stageHistory)
      .where(or(inArray(stageHistory.toStageId, stageIds), inArray(stageHistory.fromStageId, stageIds)));
    return r?.n ?? 0;
  };
  const leadCounts = async (column: typeof leads.status | typeof leads.source) =>
    new Map((await db.select({ key: column, n: count() }).from(leads).groupBy(column)).map((r) => [r.key, r.n]));
  let statusCounts: Map<string, number> | undefined;
  let sourceCounts: Map<string, number> | undefined;

  for (const c of changes) {
    const t = c.target;
    if (!t) continue;
    if (t.kind === 'pipeline') {
      const row = pipelineByKey.get(t.key);
      if (!row) continue;
      const sts = stagesOf(row.id);
      const inIt = sts.map((s) => ({ s, k: dealsByStage.get(s.id) ?? 0 }));
      const total = inIt.reduce((a, x) => a + x.k, 0);
      const open = inIt.filter((x) => x.s.kind === 'open').reduce((a, x) => a + x.k, 0);
      const used = total > 0 || (await historyOf(sts.map((s) => s.id))) > 0;
      if (total) c.records = `${n(total, 'deal', 'deals')} in it (${open} open)`;
      else if (used) c.records = 'deals have passed through it';
      if (used) c.outcome = 'archived: its deals stay in it, no new ones';
      if (c.op === 'remove') drops.pipelines.push({ id: row.id, used });
    } else if (t.kind === 'stage') {
      const pl = pipelineByKey.get(t.pipeline);
      const row = pl && rows.stages.find((s) => s.pipelineId === pl.id && s.key === t.key && !s.isArchived);
      if (!row) continue;
      const inIt = dealsByStage.get(row.id) ?? 0;
      if (inIt) c.records = `${n(inIt, 'deal', 'deals')} in it`;
      if (c.op !== 'remove') continue;
      const used = inIt > 0 || (await historyOf([row.id])) > 0;
      if (!inIt && used) c.records = 'deals have passed through it';
      if (used) c.outcome = 'archived: its deals stay in it and can be moved on';
      drops.stages.push({ id: row.id, used });
    } else if (t.kind === 'field') {
      const table = fieldTables[t.entity];
      const hasValue = sql`${table.custom} -> ${t.key} is not null`;
      const where = t.removedOptions ? and(hasValue, inArray(sql`${table.custom} ->> ${t.key}`, t.removedOptions)) : hasValue;
      const [r] = await db.select({ n: count() }).from(table).where(where);
      const held = r?.n ?? 0;
      if (held) c.records = `${n(held, `${t.entity} holds`, `${plural[t.entity]} hold`)} ${t.removedOptions ? 'a dropped option' : 'a value'}`;
      if (c.op === 'remove') {
        const row = rows.fields.find((f) => f.entity === t.entity && f.key === t.key);
        if (row) drops.fields.push({ id: row.id, used: held > 0 });
        if (held) c.outcome = 'archived: the values are kept, no new ones';
      } else if (held) c.outcome = 'kept as stored';
    } else if (t.kind === 'leadStatus') {
      statusCounts ??= await leadCounts(leads.status);
      const k = statusCounts.get(t.key) ?? 0;
      if (k) c.records = `${n(k, 'lead has', 'leads have')} it${c.op === 'remove' ? ', kept as it is' : ''}`;
    } else {
      sourceCounts ??= await leadCounts(leads.source);
      const k = sourceCounts.get(t.key) ?? 0;
      if (k) c.records = `${n(k, 'lead', 'leads')} came from it, kept as they are`;
    }
  }
  // What comes back from the archive: said on its line; a pipeline brings back only the stages
  // the new configuration gives it, its other stages are dropped as any other stage.
  for (const c of changes) {
    if (c.op !== 'add') continue;
    if (c.subject === 'pipeline') {
      const row = pipelineByKey.get(c.ref);
      if (!row) continue;
      c.outcome = 'back from the archive';
      const keep = new Set(next.pipelines.find((p) => p.key === row.key)?.stages.map((s) => s.key));
      for (const st of stagesOf(row.id).filter((x) => !x.isArchived && !keep.has(x.key))) {
        const used = (dealsByStage.get(st.id) ?? 0) > 0 || (await historyOf([st.id])) > 0;
        drops.stages.push({ id: st.id, used });
      }
    } else if (c.subject === 'stage') {
      const [pipelineKey, key] = c.ref.split('/');
      const pl = pipelineByKey.get(pipelineKey!);
      const row = pl && rows.stages.find((x) => x.pipelineId === pl.id && x.key === key && x.isArchived);
      if (!row) continue;
      const inIt = dealsByStage.get(row.id) ?? 0;
      if (inIt) c.records = `${n(inIt, 'deal', 'deals')} in it`;
      c.outcome = 'back from the archive';
    } else if (c.subject.endsWith(' field') && rows.fields.some((f) => `${f.entity} field` === c.subject && f.key === c.ref && f.isArchived)) {
      c.outcome = 'back from the archive, with the values records kept';
    }
  }
  return drops;
}
