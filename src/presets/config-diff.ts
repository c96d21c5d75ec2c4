// What applying one configuration over another changes, item by item, in words a person reads
// before saying yes: one change per line. Pure: the records each change touches are counted by
// the planner (config-plan.ts) and added to the lines here.
import type { Preset } from './preset-schema.ts';

export const changeOps = ['add', 'remove', 'change'] as const;
export type ChangeOp = (typeof changeOps)[number];

export const fieldEntities = ['contact', 'company', 'lead', 'deal'] as const;
export type FieldEntity = (typeof fieldEntities)[number];

/** What a change is about, for the planner to count the records that use it. */
export type ChangeTarget =
  | { kind: 'pipeline'; key: string }
  | { kind: 'stage'; pipeline: string; key: string }
  | { kind: 'field'; entity: FieldEntity; key: string; removedOptions?: string[] }
  | { kind: 'leadStatus'; key: string }
  | { kind: 'leadSource'; key: string };

export interface ConfigChange {
  op: ChangeOp;
  /** `pipeline`, `stage`, `deal field`, `lead status`... */
  subject: string;
  /** The key that names it: `farm`, `farm/lost`, `loss_reason`. */
  ref: string;
  /** For an addition or removal what it is; for a change what changes (`name «A» → «B»`). */
  detail: string;
  target?: ChangeTarget;
  /** The records that use it, counted in the database: `3 deals in it (2 open)`. */
  records?: string;
  /** What happens to it beyond the change, when records use it: `archived, they keep it`. */
  outcome?: string;
}

const symbol: Record<ChangeOp, string> = { add: '+', remove: '-', change: '~' };

/** `- pipeline farm «Поле» (9 stages: new → … → lost) — 3 deals in it (1 open); archived: …`, `~ stage farm/lost: name «A» → «B»`. */
export function formatChange(c: ConfigChange): string {
  const what = `${symbol[c.op]} ${c.subject}${c.ref ? ` ${c.ref}` : ''}`;
  const head = c.op === 'change' ? `${what}: ${c.detail}` : `${what} ${c.detail}`;
  const tail = [c.records, c.outcome].filter(Boolean).join('; ');
  return tail ? `${head} — ${tail}` : head;
}

const quote = (s: string) => `«${s.length > 60 ? `${s.slice(0, 57)}…` : s}»`;
const show = (v: unknown): string => {
  if (v === undefined || v === null) return 'none';
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? x : show(x))).join(', ')}]`;
  if (typeof v === 'string') return quote(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};
const same = (a: unknown, b: unknown) => stableStringify(a) === stableStringify(b);

/** `name «A» → «B»` when they differ. */
function prop(name: string, a: unknown, b: unknown, render: (v: never) => string = show): string[] {
  return same(a, b) ? [] : [`${name} ${render(a as never)} → ${render(b as never)}`];
}

interface ListSpec<T> {
  subject: string;
  ref: (item: T) => string;
  describe: (item: T) => string;
  props: (before: T, after: T) => string[];
  target?: (item: T) => ChangeTarget;
  /** Target of a changed item, when its change can touch records (a stage turning closed). */
  changeTarget?: (before: T, after: T) => ChangeTarget | undefined;
  /** `stages of farm`: said when the same items come in another order. */
  orderOf?: string;
  /** Nested changes of an item kept by both (a pipeline's stages). */
  inner?: (before: T, after: T) => ConfigChange[];
}

function diffList<T extends { key: string }>(before: T[], after: T[], spec: ListSpec<T>): ConfigChange[] {
  const was = new Map(before.map((x) => [x.key, x]));
  const now = new Map(after.map((x) => [x.key, x]));
  const out: ConfigChange[] = [];
  for (const b of before)
    if (!now.has(b.key)) out.push({ op: 'remove', subject: spec.subject, ref: spec.ref(b), detail: spec.describe(b), ...(spec.target ? { target: spec.target(b) } : {}) });
  for (const a of after) {
    const b = was.get(a.key);
    if (!b) {
      out.push({ op: 'add', subject: spec.subject, ref: spec.ref(a), detail: spec.describe(a) });
      continue;
    }
    const props = spec.props(b, a);
    if (props.length) {
      const target = spec.changeTarget?.(b, a);
      out.push({ op: 'change', subject: spec.subject, ref: spec.ref(a), detail: props.join('; '), ...(target ? { target } : {}) });
    }
    if (spec.inner) out.push(...spec.inner(b, a));
  }
  if (spec.orderOf) {
    const kept = (xs: T[], other: Map<string, T>) => xs.filter((x) => other.has(x.key)).map((x) => x.key);
    const order = kept(after, was);
    if (!same(kept(before, now), order)) out.push({ op: 'change', subject: `order of ${spec.orderOf}`, ref: '', detail: after.map((x) => x.key).join(', ') });
  }
  return out;
}

type Pipeline = Preset['pipelines'][number];
type Stage = Pipeline['stages'][number];
type Field = Preset['customFields']['deal'][number];

const stageTraits = (s: Stage) =>
  [s.kind !== 'open' ? s.kind : '', s.requires.length ? `requires ${s.requires.join(', ')}` : '', s.allowedFrom ? `from ${s.allowedFrom.join(', ')}` : '']
    .filter(Boolean)
    .join(', ');

function diffStages(pipeline: string, before: Stage[], after: Stage[]): ConfigChange[] {
  return diffList(before, after, {
    subject: 'stage',
    ref: (s) => `${pipeline}/${s.key}`,
    describe: (s) => `${quote(s.name)}${stageTraits(s) ? ` (${stageTraits(s)})` : ''}`,
    props: (b, a) => [
      ...prop('name', b.name, a.name),
      ...prop('kind', b.kind, a.kind, String),
      ...prop('requires', b.requires, a.requires),
      ...prop('allowed from', b.allowedFrom, a.allowedFrom),
    ],
    target: (s) => ({ kind: 'stage', pipeline, key: s.key }),
    changeTarget: (b, a) => (b.kind !== a.kind ? { kind: 'stage', pipeline, key: a.key } : undefined),
    orderOf: `stages of ${pipeline}`,
  });
}

const defaultPipeline = (p: Pick<Preset, 'pipelines'>) => (p.pipelines.find((pl) => pl.default) ?? p.pipelines[0])?.key;

function diffPipelines(before: Pipeline[], after: Pipeline[]): ConfigChange[] {
  return diffList(before, after, {
    subject: 'pipeline',
    ref: (p) => p.key,
    describe: (p) => `${quote(p.name)} (${p.stages.length} stages: ${p.stages.map((s) => s.key).join(' → ')})`,
    props: (b, a) => prop('name', b.name, a.name),
    target: (p) => ({ kind: 'pipeline', key: p.key }),
    orderOf: 'pipelines',
    inner: (b, a) => diffStages(a.key, b.stages, a.stages),
  });
}

function diffFields(entity: FieldEntity, before: Field[], after: Field[]): ConfigChange[] {
  const traits = (f: Field) => [f.type, f.type === 'enum' ? `options ${show(f.options)}` : '', f.required ? 'required' : ''].filter(Boolean).join(', ');
  return diffList(before, after, {
    subject: `${entity} field`,
    ref: (f) => f.key,
    describe: (f) => `${quote(f.label)} (${traits(f)})`,
    props: (b, a) => [
      ...prop('label', b.label, a.label),
      ...prop('type', b.type, a.type, String),
      ...prop('options', b.options, a.options),
      ...prop('required', b.required, a.required),
    ],
    target: (f) => ({ kind: 'field', entity, key: f.key }),
    // Values already stored stay as they are: a new type or a dropped option may no longer fit them.
    changeTarget: (b, a) => {
      if (b.type !== a.type) return { kind: 'field', entity, key: a.key };
      const dropped = b.options.filter((o) => !a.options.includes(o));
      return dropped.length ? { kind: 'field', entity, key: a.key, removedOptions: dropped } : undefined;
    },
    orderOf: `${entity} fields`,
  });
}

function diffStrings(subject: string, before: string[], after: string[]): ConfigChange[] {
  const asItems = (xs: string[]) => xs.map((key) => ({ key }));
  return diffList(asItems(before), asItems(after), { subject, ref: () => '', describe: (x) => quote(x.key), props: () => [], orderOf: `${subject}s` });
}

const answered = (s: Preset['settings']['leadStatusWhenAnswered']) => (s ? `${s.from.join(', ')} → ${s.to} when answered` : 'none');
const rule = (r: Preset['rules'][number]) => `${r.pipeline}/${r.stage} after ${r.after}: ${r.action}${r.once ? ', once' : ', every time'}`;

/** Everything that differs between the configuration in force (null: none yet) and the next one. */
export function diffConfigurations(before: Preset | null, after: Preset): ConfigChange[] {
  const b: Preset = before ?? emptyConfiguration;
  const top = (name: string, x: unknown, y: unknown, render: (v: never) => string = show): ConfigChange[] => {
    if (same(x, y)) return [];
    if (x === undefined) return [{ op: 'add', subject: name, ref: '', detail: render(y as never) }];
    return [{ op: 'change', subject: name, ref: '', detail: `${render(x as never)} → ${render(y as never)}` }];
  };
  const changes: ConfigChange[] = [
    ...top('name', before?.name, after.name, (v: string | undefined) => v ?? 'none'),
    ...top('title', before?.title, after.title),
    ...top('timezone', before?.timezone, after.timezone, (v: string | undefined) => v ?? 'none'),
    ...diffList(b.leadSources, after.leadSources, {
      subject: 'lead source',
      ref: (s) => s.key,
      describe: (s) => quote(s.name),
      props: (x, y) => prop('name', x.name, y.name),
      target: (s) => ({ kind: 'leadSource', key: s.key }),
      orderOf: 'lead sources',
    }),
    ...diffList(b.leadStatuses, after.leadStatuses, {
      subject: 'lead status',
      ref: (s) => s.key,
      describe: (s) => `${quote(s.name)} (${s.kind}${s.requiresReason ? ', asks a reason' : ''})`,
      props: (x, y) => [...prop('name', x.name, y.name), ...prop('kind', x.kind, y.kind, String), ...prop('asks a reason', x.requiresReason, y.requiresReason)],
      target: (s) => ({ kind: 'leadStatus', key: s.key }),
      changeTarget: (x, y) => (x.kind !== y.kind ? { kind: 'leadStatus', key: y.key } : undefined),
      orderOf: 'lead statuses (the first is given to new leads)',
    }),
    ...fieldEntities.flatMap((e) => diffFields(e, b.customFields[e], after.customFields[e])),
    ...diffPipelines(b.pipelines, after.pipelines),
    ...top('default pipeline', before ? defaultPipeline(before) : undefined, defaultPipeline(after), (v: string | undefined) => v ?? 'none'),
    ...top('conversion', before ? `${before.conversion.pipeline}/${before.conversion.stage}` : undefined, `${after.conversion.pipeline}/${after.conversion.stage}`, (v: string | undefined) => v ?? 'none'),
    ...diffList(b.intake.questions, after.intake.questions, {
      subject: 'intake question',
      ref: (q) => q.key,
      describe: (q) => `${quote(q.text.ru)} (${q.type}${q.required ? '' : ', optional'})`,
      props: (x, y) => [
        ...prop('text ru', x.text.ru, y.text.ru),
        ...prop('text en', x.text.en, y.text.en),
        ...prop('type', x.type, y.type, String),
        ...prop('options', x.options, y.options),
        ...prop('required', x.required, y.required),
      ],
      orderOf: 'intake questions',
    }),
    ...diffStrings('loss reason', b.lossReasons, after.lossReasons),
    ...diffList(b.rules, after.rules, {
      subject: 'rule',
      ref: (r) => r.key,
      describe: rule,
      props: (x, y) => (rule(x) === rule(y) ? [] : [`${rule(x)} → ${rule(y)}`]),
      orderOf: 'rules',
    }),
    ...top('setting propagateResponsible', b.settings.propagateResponsible, after.settings.propagateResponsible),
    ...top('setting leadStatusWhenAnswered', b.settings.leadStatusWhenAnswered, after.settings.leadStatusWhenAnswered, answered),
  ];
  return changes;
}

/** What a database with no configuration has: nothing, so everything the first one holds is added. */
export const emptyConfiguration: Preset = {
  name: '',
  title: '',
  timezone: '',
  leadSources: [],
  leadStatuses: [],
  customFields: { contact: [], company: [], lead: [], deal: [] },
  pipelines: [],
  intake: { questions: [] },
  conversion: { pipeline: '', stage: '' },
  lossReasons: [],
  rules: [],
  settings: { propagateResponsible: false },
};

// jsonb does not keep key order, so documents are compared with keys sorted.
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}
