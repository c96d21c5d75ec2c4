// The configuration in force as a YAML file a company keeps and edits: `chatcrm seed` takes it
// back unchanged (values the schema gives by default are left out, as in the shipped presets,
// and come back the same when it is read). Small flat items are written on one line.
import { Document, isScalar, isSeq, visit } from 'yaml';
import type { Preset } from './preset-schema.ts';

export interface ExportMeta {
  version: number;
  source: string | null;
  appliedAt: Date;
}

export function configurationYaml(p: Preset, meta: ExportMeta): string {
  const doc = new Document(withoutDefaults(p));
  // A collection of scalars (or of flat lists) that fits on a line is written `{ key: a, name: B }`.
  visit(doc, {
    Map(_, node) {
      const flat = node.items.every((pair) => isScalar(pair.value) || (isSeq(pair.value) && pair.value.items.every(isScalar)));
      if (flat && JSON.stringify(node.toJSON()).length <= 110) node.flow = true;
    },
    Seq(_, node) {
      if (node.items.every(isScalar) && JSON.stringify(node.toJSON()).length <= 110) node.flow = true;
      else if (node.items.length === 0) node.flow = true;
    },
  });
  doc.commentBefore = [
    ` Company configuration "${p.name}": ${p.title}`,
    ` Version ${meta.version}, applied ${meta.appliedAt.toISOString()}${meta.source ? ` from ${meta.source}` : ''}.`,
    ' Edit it and apply it with `chatcrm seed <this file> --dry-run` (the changes), then `--replace`.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
}

type Json = Record<string, unknown>;

/** Drops what the schema would fill in by itself, so the file says only what the company chose. */
function withoutDefaults(p: Preset): Json {
  const fields = (list: Preset['customFields']['deal']) =>
    list.map((f) => ({ key: f.key, label: f.label, type: f.type, ...(f.options.length ? { options: f.options } : {}), ...(f.required ? { required: true } : {}) }));
  const customFields: Json = {};
  for (const entity of ['contact', 'company', 'lead', 'deal'] as const) if (p.customFields[entity].length) customFields[entity] = fields(p.customFields[entity]);
  const settings: Json = {
    ...(p.settings.propagateResponsible ? { propagateResponsible: true } : {}),
    ...(p.settings.leadStatusWhenAnswered ? { leadStatusWhenAnswered: p.settings.leadStatusWhenAnswered } : {}),
  };
  return {
    name: p.name,
    title: p.title,
    timezone: p.timezone,
    leadSources: p.leadSources,
    leadStatuses: p.leadStatuses.map((s) => ({
      key: s.key,
      name: s.name,
      ...(s.kind !== 'open' ? { kind: s.kind } : {}),
      ...(s.requiresReason ? { requiresReason: true } : {}),
    })),
    ...(Object.keys(customFields).length ? { customFields } : {}),
    pipelines: p.pipelines.map((pl) => ({
      key: pl.key,
      name: pl.name,
      ...(pl.default ? { default: true } : {}),
      stages: pl.stages.map((s) => ({
        key: s.key,
        name: s.name,
        ...(s.kind !== 'open' ? { kind: s.kind } : {}),
        ...(s.requires.length ? { requires: s.requires } : {}),
        ...(s.allowedFrom ? { allowedFrom: s.allowedFrom } : {}),
      })),
    })),
    ...(p.intake.questions.length
      ? {
          intake: {
            questions: p.intake.questions.map((q) => ({
              key: q.key,
              text: q.text,
              type: q.type,
              ...(q.options.length ? { options: q.options } : {}),
              ...(q.required ? {} : { required: false }),
            })),
          },
        }
      : {}),
    conversion: p.conversion,
    ...(p.lossReasons.length ? { lossReasons: p.lossReasons } : {}),
    ...(p.rules.length
      ? { rules: p.rules.map((r) => ({ key: r.key, kind: r.kind, pipeline: r.pipeline, stage: r.stage, after: r.after, action: r.action, ...(r.once ? {} : { once: false }) })) }
      : {}),
    ...(Object.keys(settings).length ? { settings } : {}),
  };
}
