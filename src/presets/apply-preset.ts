// Applying a configuration is idempotent: pipelines, stages and fields are upserted by their
// keys, and a new config version is written only when the document changed.
import { desc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { companyConfigVersions, customFieldDefs, pipelines, stages } from '../../db/schema/index.ts';
import type { Actor } from '../crm/actor.ts';
import { writeAudit } from '../crm/audit.ts';
import { forgetCompanyConfig } from '../crm/company-config.ts';
import type { Preset } from './preset-schema.ts';

export interface ApplyResult {
  version: number;
  changed: boolean;
}

export async function applyPreset(db: Db, preset: Preset, actor: Actor): Promise<ApplyResult> {
  const applied = await db.transaction(async (tx) => {
    // One writer at a time, so two processes applying at start do not race on the version.
    await tx.execute(sql`select pg_advisory_xact_lock(7146302)`);
    for (const [pi, pl] of preset.pipelines.entries()) {
      const [row] = await tx
        .insert(pipelines)
        .values({ key: pl.key, name: pl.name, isDefault: pl.default, sortOrder: pi })
        .onConflictDoUpdate({
          target: pipelines.key,
          set: { name: pl.name, isDefault: pl.default, sortOrder: pi, isArchived: false },
        })
        .returning({ id: pipelines.id });
      for (const [si, st] of pl.stages.entries()) {
        const values = {
          name: st.name,
          kind: st.kind,
          sortOrder: si,
          requirements: st.requires.map((field) => ({ field })),
          allowedFrom: st.allowedFrom ?? null,
        };
        await tx
          .insert(stages)
          .values({ pipelineId: row!.id, key: st.key, ...values })
          .onConflictDoUpdate({ target: [stages.pipelineId, stages.key], set: values });
      }
    }
    if (!preset.pipelines.some((p) => p.default)) {
      await tx.execute(sql`update pipelines set is_default = (key = ${preset.pipelines[0]!.key})`);
    } else {
      const defaultKey = preset.pipelines.find((p) => p.default)!.key;
      await tx.execute(sql`update pipelines set is_default = (key = ${defaultKey})`);
    }
    for (const entity of ['contact', 'company', 'lead', 'deal'] as const) {
      for (const [fi, f] of preset.customFields[entity].entries()) {
        const values = { label: f.label, type: f.type, options: f.options, isRequired: f.required, sortOrder: fi };
        await tx
          .insert(customFieldDefs)
          .values({ entity, key: f.key, ...values })
          .onConflictDoUpdate({ target: [customFieldDefs.entity, customFieldDefs.key], set: values });
      }
    }
    const [latest] = await tx
      .select({ version: companyConfigVersions.version, document: companyConfigVersions.document })
      .from(companyConfigVersions)
      .orderBy(desc(companyConfigVersions.version))
      .limit(1);
    const document = preset as unknown as Record<string, unknown>;
    if (latest && stableStringify(latest.document) === stableStringify(document)) {
      return { version: latest.version, changed: false };
    }
    const version = (latest?.version ?? 0) + 1;
    await tx.insert(companyConfigVersions).values({ version, preset: preset.name, document, appliedById: actor.userId });
    await writeAudit(tx, actor, {
      action: 'config.apply',
      entityType: 'company_config',
      entityId: version,
      after: { preset: preset.name, version },
    });
    return { version, changed: true };
  });
  forgetCompanyConfig();
  return applied;
}

// jsonb does not keep key order, so documents are compared with keys sorted.
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
