// Custom field values are validated by the field's type on every write, whatever the channel.
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { type CustomFieldDef, customFieldDefs, type EntityType } from '../../db/schema/index.ts';
import { type FieldIssue, ValidationError } from './errors.ts';

export const fileValueSchema = z.object({
  fileId: z.string().min(1),
  name: z.string().max(512).optional(),
  size: z.number().int().nonnegative().optional(),
  mime: z.string().max(255).optional(),
  channel: z.string().max(32).optional(),
});
export type FileValue = z.infer<typeof fileValueSchema>;

const MAX_STRING = 10_000;
const truthy = new Set(['true', 'yes', 'да', '1', 'y', 'д']);
const falsy = new Set(['false', 'no', 'нет', '0', 'n', 'н']);

export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const cleaned = value.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

function parseDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  const ru = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value.trim());
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : ru ? [ru[3], ru[2], ru[1]] : [];
  if (!y || !m || !d) return null;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return null;
  return date.toISOString().slice(0, 10);
}

/** Returns the normalized value or an error message in plain words. */
export function normalizeFieldValue(def: Pick<CustomFieldDef, 'type' | 'options'>, value: unknown): { value: unknown } | { error: string } {
  switch (def.type) {
    case 'number': {
      const n = parseNumber(value);
      return n === null ? { error: 'must be a number' } : { value: n };
    }
    case 'money': {
      const n = parseNumber(value);
      if (n === null) return { error: 'must be an amount of money' };
      if (n < 0) return { error: 'must not be negative' };
      return { value: n.toFixed(2) };
    }
    case 'string': {
      if (typeof value !== 'string' && typeof value !== 'number') return { error: 'must be text' };
      const s = String(value).trim();
      if (s.length > MAX_STRING) return { error: `must be at most ${MAX_STRING} characters` };
      return { value: s };
    }
    case 'date': {
      const d = parseDate(value);
      return d === null ? { error: 'must be a date (YYYY-MM-DD or DD.MM.YYYY)' } : { value: d };
    }
    case 'enum': {
      const s = typeof value === 'string' ? value.trim() : '';
      const match = def.options.find((o) => o.toLowerCase() === s.toLowerCase());
      return match ? { value: match } : { error: `must be one of: ${def.options.join(', ')}` };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { value };
      const s = typeof value === 'string' ? value.trim().toLowerCase() : '';
      if (truthy.has(s)) return { value: true };
      if (falsy.has(s)) return { value: false };
      return { error: 'must be yes or no' };
    }
    case 'file': {
      const parsed = fileValueSchema.safeParse(value);
      return parsed.success ? { value: parsed.data } : { error: 'must be a file' };
    }
  }
}

/** The fields records of the entity take; archived ones (dropped by a newer configuration) keep their values but take none. */
export function loadFieldDefs(db: Db, entity: EntityType): Promise<CustomFieldDef[]> {
  return db
    .select()
    .from(customFieldDefs)
    .where(and(eq(customFieldDefs.entity, entity), eq(customFieldDefs.isArchived, false)))
    .orderBy(asc(customFieldDefs.sortOrder), asc(customFieldDefs.id));
}

export async function getFieldDef(db: Db, entity: EntityType, key: string): Promise<CustomFieldDef | undefined> {
  const [row] = await db
    .select()
    .from(customFieldDefs)
    .where(and(eq(customFieldDefs.entity, entity), eq(customFieldDefs.key, key), eq(customFieldDefs.isArchived, false)));
  return row;
}

/**
 * Validates a patch of custom values against the entity's field definitions.
 * `null` clears a value. Unknown keys and wrongly typed values are reported together.
 */
export function validateCustomValues(defs: CustomFieldDef[], patch: Record<string, unknown>): Record<string, unknown> {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const issues: FieldIssue[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(patch)) {
    const def = byKey.get(key);
    if (!def) {
      issues.push({ field: `custom.${key}`, message: 'no such field' });
      continue;
    }
    if (raw === null) {
      out[key] = null;
      continue;
    }
    const result = normalizeFieldValue(def, raw);
    if ('error' in result) issues.push({ field: `custom.${key}`, message: result.error });
    else out[key] = result.value;
  }
  if (issues.length) throw new ValidationError(issues);
  return out;
}

/** Merges a validated patch into stored values; nulls remove keys. */
export function mergeCustom(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...current };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete merged[k];
    else merged[k] = v;
  }
  return merged;
}
