// The shape of a company configuration: what a preset YAML holds and what the database
// keeps, versioned, in company_config_versions. Objects are strict: a misspelt key in a
// company's own file is an error naming it, not a setting silently left at its default
// (top-level keys starting with `x-` are a place for YAML anchors: load-preset drops them).
import { z } from 'zod';
import { fieldTypes, stageKinds } from '../../db/schema/index.ts';

const key = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lower_snake_case');
const duration = z.string().regex(/^\d+(m|h|d)$/, 'must be a duration like 20m, 2h or 3d');

export const leadStatusKinds = ['open', 'converted', 'rejected'] as const;
export const ruleActions = ['notify_responsible', 'notify_supervisor', 'create_task'] as const;
export const dealStandardFields = ['amount', 'comment', 'contact', 'company', 'responsible'] as const;

const fieldDefSchema = z.strictObject({
  key,
  label: z.string().min(1),
  type: z.enum(fieldTypes),
  options: z.array(z.string().min(1)).default([]),
  required: z.boolean().default(false),
});

const stageSchema = z.strictObject({
  key,
  name: z.string().min(1),
  kind: z.enum(stageKinds).default('open'),
  /** Fields (custom keys or standard deal fields) that must hold a value to enter the stage. */
  requires: z.array(z.string()).default([]),
  allowedFrom: z.array(key).optional(),
});

const pipelineSchema = z.strictObject({
  key,
  name: z.string().min(1),
  default: z.boolean().default(false),
  stages: z.array(stageSchema).min(2),
});

const intakeQuestionSchema = z.strictObject({
  key,
  text: z.strictObject({ ru: z.string().min(1), en: z.string().min(1) }),
  type: z.enum(fieldTypes),
  options: z.array(z.string().min(1)).default([]),
  required: z.boolean().default(true),
});

const ruleSchema = z.strictObject({
  key,
  kind: z.literal('stage_timeout'),
  pipeline: key,
  stage: key,
  after: duration,
  action: z.enum(ruleActions),
  once: z.boolean().default(true),
});

export const presetSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/, 'must be lower-case letters, digits, - or _, starting with a letter'),
    title: z.string().min(1),
    timezone: z.string().default('Europe/Moscow'),
    leadSources: z.array(z.strictObject({ key, name: z.string().min(1) })).min(1),
    leadStatuses: z
      .array(
        z.strictObject({
          key,
          name: z.string().min(1),
          kind: z.enum(leadStatusKinds).default('open'),
          requiresReason: z.boolean().default(false),
        }),
      )
      .min(2),
    customFields: z
      .object({
        contact: z.array(fieldDefSchema).default([]),
        company: z.array(fieldDefSchema).default([]),
        lead: z.array(fieldDefSchema).default([]),
        deal: z.array(fieldDefSchema).default([]),
      })
      .default({ contact: [], company: [], lead: [], deal: [] }),
    pipelines: z.array(pipelineSchema).min(1),
    intake: z.strictObject({ questions: z.array(intakeQuestionSchema).default([]) }).default({ questions: [] }),
    conversion: z.strictObject({ pipeline: key, stage: key }),
    /** Reasons offered when a deal is lost or a lead rejected; a reason of one's own is always possible. */
    lossReasons: z.array(z.string().min(1).max(200)).default([]),
    rules: z.array(ruleSchema).default([]),
    settings: z
      .object({
        /** A new responsible on a deal becomes the responsible of its contact and company too. */
        propagateResponsible: z.boolean().default(false),
        /** A lead in one of `from` moves to `to` when a manager first answers the customer in the chat. */
        leadStatusWhenAnswered: z.strictObject({ from: z.array(key).min(1), to: key }).optional(),
      })
      .default({ propagateResponsible: false }),
  })
  .superRefine((p, ctx) => {
    const dup = (items: { key: string }[], path: (string | number)[]) => {
      const seen = new Set<string>();
      items.forEach((it, i) => {
        if (seen.has(it.key)) ctx.addIssue({ code: 'custom', path: [...path, i, 'key'], message: `duplicate key "${it.key}"` });
        seen.add(it.key);
      });
    };
    dup(p.leadSources, ['leadSources']);
    dup(p.leadStatuses, ['leadStatuses']);
    dup(p.pipelines, ['pipelines']);
    for (const entity of ['contact', 'company', 'lead', 'deal'] as const) dup(p.customFields[entity], ['customFields', entity]);
    dup(p.intake.questions, ['intake', 'questions']);
    dup(p.rules, ['rules']);
    if (!p.leadStatuses.some((s) => s.kind === 'converted'))
      ctx.addIssue({ code: 'custom', path: ['leadStatuses'], message: 'needs one status of kind "converted"' });
    if (p.leadStatuses[0]?.kind !== 'open')
      ctx.addIssue({ code: 'custom', path: ['leadStatuses', 0], message: 'the first status (given to new leads) must be of kind "open"' });
    const defaults = p.pipelines.flatMap((pl, i) => (pl.default ? [i] : []));
    for (const i of defaults.slice(1))
      ctx.addIssue({ code: 'custom', path: ['pipelines', i, 'default'], message: `at most one pipeline may be the default (${p.pipelines[defaults[0]!]!.key} is)` });
    const dealFields = new Set<string>([...dealStandardFields, ...p.customFields.deal.map((f) => f.key)]);
    p.pipelines.forEach((pl, pi) => {
      dup(pl.stages, ['pipelines', pi, 'stages']);
      const stageKeys = new Set(pl.stages.map((s) => s.key));
      if (pl.stages[0]?.kind !== 'open')
        ctx.addIssue({ code: 'custom', path: ['pipelines', pi, 'stages', 0], message: 'the first stage must be open' });
      for (const kind of ['won', 'lost'] as const)
        if (!pl.stages.some((s) => s.kind === kind))
          ctx.addIssue({ code: 'custom', path: ['pipelines', pi, 'stages'], message: `needs a stage of kind "${kind}"` });
      pl.stages.forEach((s, si) => {
        s.requires.forEach((f, i) => {
          if (!dealFields.has(f))
            ctx.addIssue({ code: 'custom', path: ['pipelines', pi, 'stages', si, 'requires', i], message: `unknown deal field "${f}"` });
        });
        (s.allowedFrom ?? []).forEach((from, i) => {
          if (!stageKeys.has(from))
            ctx.addIssue({ code: 'custom', path: ['pipelines', pi, 'stages', si, 'allowedFrom', i], message: `unknown stage "${from}"` });
        });
      });
    });
    const conv = p.pipelines.find((pl) => pl.key === p.conversion.pipeline);
    if (!conv) ctx.addIssue({ code: 'custom', path: ['conversion', 'pipeline'], message: `unknown pipeline "${p.conversion.pipeline}"` });
    else if (!conv.stages.some((s) => s.key === p.conversion.stage && s.kind === 'open'))
      ctx.addIssue({ code: 'custom', path: ['conversion', 'stage'], message: `"${p.conversion.stage}" is not an open stage of ${conv.key}` });
    const answered = p.settings.leadStatusWhenAnswered;
    if (answered) {
      const statusKeys = new Set(p.leadStatuses.map((st) => st.key));
      answered.from.forEach((k, i) => {
        if (!statusKeys.has(k)) ctx.addIssue({ code: 'custom', path: ['settings', 'leadStatusWhenAnswered', 'from', i], message: `unknown lead status "${k}"` });
      });
      if (!statusKeys.has(answered.to))
        ctx.addIssue({ code: 'custom', path: ['settings', 'leadStatusWhenAnswered', 'to'], message: `unknown lead status "${answered.to}"` });
    }
    p.rules.forEach((r, ri) => {
      const pl = p.pipelines.find((x) => x.key === r.pipeline);
      if (!pl) ctx.addIssue({ code: 'custom', path: ['rules', ri, 'pipeline'], message: `unknown pipeline "${r.pipeline}"` });
      else if (!pl.stages.some((s) => s.key === r.stage))
        ctx.addIssue({ code: 'custom', path: ['rules', ri, 'stage'], message: `unknown stage ${r.pipeline}/${r.stage}` });
    });
  });

export type Preset = z.infer<typeof presetSchema>;
export type PresetInput = z.input<typeof presetSchema>;
