// Applying a configuration. The first one a company gets is applied as it is; one that would
// change the configuration in force is refused unless the caller asks to replace it, and the
// refusal carries the list of changes. Replacing upserts pipelines, stages and fields by their
// keys, and what the new configuration no longer has is archived where records use it (deals
// stay in their pipeline and stage, values stay on their records) and deleted where nothing
// does. The same configuration again writes nothing.
import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { companyConfigVersions, customFieldDefs, pipelines, stages } from '../../db/schema/index.ts';
import type { Actor } from '../crm/actor.ts';
import { writeAudit } from '../crm/audit.ts';
import { forgetCompanyConfig } from '../crm/company-config.ts';
import { type ConfigChange, fieldEntities } from './config-diff.ts';
import { type ConfigPlan, type CurrentConfiguration, planConfiguration } from './config-plan.ts';
import type { Preset } from './preset-schema.ts';

export interface ApplyResult {
  version: number;
  changed: boolean;
  changes: ConfigChange[];
}

export interface ApplyOptions {
  /** Apply over a configuration in force that differs (without it, ReplaceRequiredError). */
  replace?: boolean;
  /** Where it comes from, recorded with the version: `preset:<name>` (the default) or `file:<path>`. */
  source?: string;
}

/** The company has another configuration and the caller did not ask to replace it. */
export class ReplaceRequiredError extends Error {
  override name = 'ReplaceRequiredError';
  readonly current: CurrentConfiguration;
  readonly changes: ConfigChange[];
  constructor(current: CurrentConfiguration, changes: ConfigChange[]) {
    super(`the company has configuration "${current.name}" (version ${current.version}); applying this one would make ${changes.length} changes: replacing it has to be asked for`);
    this.current = current;
    this.changes = changes;
  }
}

/** One writer at a time, so two processes applying at once do not race on the version. */
const lockApplying = (tx: Db) => tx.execute(sql`select pg_advisory_xact_lock(7146302)`);

/** What applying would change, read under the same lock as applying (nothing is written). */
export async function previewConfiguration(db: Db, preset: Preset): Promise<ConfigPlan> {
  return db.transaction(async (tx) => {
    await lockApplying(tx);
    return planConfiguration(tx, preset);
  });
}

export async function applyPreset(db: Db, preset: Preset, actor: Actor, options: ApplyOptions = {}): Promise<ApplyResult> {
  const applied = await db.transaction(async (tx) => {
    await lockApplying(tx);
    const plan = await planConfiguration(tx, preset);
    if (plan.unchanged) return { version: plan.current!.version, changed: false, changes: [] };
    if (plan.current && !options.replace) throw new ReplaceRequiredError(plan.current, plan.changes);
    await writeConfiguration(tx, preset, plan);
    const version = (plan.current?.version ?? 0) + 1;
    const source = options.source ?? `preset:${preset.name}`;
    await tx.insert(companyConfigVersions).values({ version, preset: preset.name, source, document: preset as unknown as Record<string, unknown>, appliedById: actor.userId });
    const archived = (rows: { used: boolean }[]) => rows.filter((r) => r.used).length;
    await writeAudit(tx, actor, {
      action: 'config.apply',
      entityType: 'company_config',
      entityId: version,
      before: plan.current ? { preset: plan.current.name, version: plan.current.version, source: plan.current.source } : null,
      after: {
        preset: preset.name,
        version,
        source,
        changes: plan.changes.length,
        archived: { pipelines: archived(plan.drops.pipelines), stages: archived(plan.drops.stages), fields: archived(plan.drops.fields) },
      },
    });
    return { version, changed: true, changes: plan.changes };
  });
  forgetCompanyConfig();
  return applied;
}

async function writeConfiguration(tx: Db, preset: Preset, plan: ConfigPlan): Promise<void> {
  for (const [pi, pl] of preset.pipelines.entries()) {
    const [row] = await tx
      .insert(pipelines)
      .values({ key: pl.key, name: pl.name, isDefault: pl.default, sortOrder: pi })
      .onConflictDoUpdate({ target: pipelines.key, set: { name: pl.name, isDefault: pl.default, sortOrder: pi, isArchived: false } })
      .returning({ id: pipelines.id });
    for (const [si, st] of pl.stages.entries()) {
      const values = {
        name: st.name,
        kind: st.kind,
        sortOrder: si,
        requirements: st.requires.map((field) => ({ field })),
        allowedFrom: st.allowedFrom ?? null,
        isArchived: false,
      };
      await tx
        .insert(stages)
        .values({ pipelineId: row!.id, key: st.key, ...values })
        .onConflictDoUpdate({ target: [stages.pipelineId, stages.key], set: values });
    }
  }
  const defaultKey = (preset.pipelines.find((p) => p.default) ?? preset.pipelines[0]!).key;
  await tx.execute(sql`update pipelines set is_default = (key = ${defaultKey})`);
  for (const entity of fieldEntities) {
    for (const [fi, f] of preset.customFields[entity].entries()) {
      const values = { label: f.label, type: f.type, options: f.options, isRequired: f.required, sortOrder: fi, isArchived: false };
      await tx
        .insert(customFieldDefs)
        .values({ entity, key: f.key, ...values })
        .onConflictDoUpdate({ target: [customFieldDefs.entity, customFieldDefs.key], set: values });
    }
  }
  const { pipelines: pls, stages: sts, fields } = plan.drops;
  const ids = (rows: { id: number; used: boolean }[], used: boolean) => rows.filter((r) => r.used === used).map((r) => r.id);
  if (ids(pls, true).length) await tx.update(pipelines).set({ isArchived: true, isDefault: false }).where(inArray(pipelines.id, ids(pls, true)));
  if (ids(pls, false).length) await tx.delete(pipelines).where(inArray(pipelines.id, ids(pls, false)));
  if (ids(sts, true).length) await tx.update(stages).set({ isArchived: true }).where(inArray(stages.id, ids(sts, true)));
  if (ids(sts, false).length) await tx.delete(stages).where(inArray(stages.id, ids(sts, false)));
  if (ids(fields, true).length) await tx.update(customFieldDefs).set({ isArchived: true }).where(inArray(customFieldDefs.id, ids(fields, true)));
  if (ids(fields, false).length) await tx.delete(customFieldDefs).where(inArray(customFieldDefs.id, ids(fields, false)));
}
