// Input pieces shared by contacts, companies, leads, deals and tasks.
import { z } from 'zod';
import { normalizePhone } from './phone.ts';

// Postgres refuses NUL in text and unpaired surrogates in JSON (the audit log and custom values
// are JSONB); Node would otherwise turn a lone surrogate in text silently into U+FFFD.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';
export const isStorableText = (s: string) => !UNSTORABLE.test(s);

/** A string that Postgres can store as it is; every text field of every input is one. */
export const storableString = () => z.string().refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);
/** Trimmed text up to `max` characters. */
export const text = (max: number) => storableString().trim().max(max);
/** Trimmed text, 1 to `max` characters. */
export const requiredText = (max: number) => storableString().trim().min(1).max(max);

// Keys that would set an object's prototype instead of a value.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

// No record needs more; the bounds keep a hostile body's walk linear and short.
const MAX_DEPTH = 32;
const MAX_NODES = 100_000;

export interface TextIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Strings and keys inside a JSON value that Postgres could not store, and keys that name a
 * prototype. Walked with an explicit stack: a deeply nested body cannot overflow it.
 */
export function nestedTextIssues(value: unknown, opts: { unsafeKeys?: boolean } = {}): TextIssue[] {
  const issues: TextIssue[] = [];
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  let seen = 0;
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (++seen > MAX_NODES) return [...issues, { path: [], message: `holds more than ${MAX_NODES} values` }];
    if (path.length > MAX_DEPTH) return [...issues, { path: path.slice(0, 1), message: `is nested more than ${MAX_DEPTH} levels deep` }];
    if (typeof v === 'string') {
      if (!isStorableText(v)) issues.push({ path, message: UNSTORABLE_TEXT_MESSAGE });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push({ v: item, path: [...path, i] }));
    } else if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      for (const key of Object.keys(v)) {
        if (opts.unsafeKeys !== false && UNSAFE_KEYS.has(key)) issues.push({ path: [...path, key], message: 'is not an allowed key' });
        else if (!isStorableText(key)) issues.push({ path: [...path, key], message: `key ${UNSTORABLE_TEXT_MESSAGE}` });
        else stack.push({ v: (v as Record<string, unknown>)[key], path: [...path, key] });
      }
    }
  }
  return issues;
}

/** nestedTextIssues as a zod refinement (custom fields, utm tags, stage values). */
export function checkNestedText(value: unknown, ctx: z.RefinementCtx): void {
  for (const issue of nestedTextIssues(value)) ctx.addIssue({ code: 'custom', ...issue });
}

/** Record ids are bigint in the database; zod's int() keeps them within safe integers. */
export const idSchema = z.number().int().positive();
/** Versions are int4 columns: a bigger number would be refused by Postgres, not compared. */
export const versionSchema = z.number().int().positive().max(2_147_483_647);
export const optionalText = (max = 1000) => text(max).nullable().optional();
export const phoneSchema = storableString()
  .max(64)
  .transform((v, ctx) => {
    const n = normalizePhone(v);
    if (!n) {
      ctx.addIssue({ code: 'custom', message: 'is not a phone number' });
      return z.NEVER;
    }
    return n;
  });
export const emailSchema = z.email().max(320);
export const observerIdsSchema = z.array(idSchema).max(100);
/**
 * A JSON object checked as it came, before zod copies it: a `__proto__` key would be taken
 * for the copy's prototype there and vanish unseen.
 */
export const checkedRecord = <S extends z.ZodType>(schema: S) =>
  z.preprocess((value, ctx) => {
    for (const issue of nestedTextIssues(value)) ctx.addIssue({ code: 'custom', ...issue });
    return value;
  }, schema);
export const customSchema = checkedRecord(z.record(z.string(), z.unknown()));
export const utmSchema = checkedRecord(z.record(storableString().max(64), storableString().max(500)));
export const amountSchema = z
  .union([z.number(), z.string().max(64)])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v.replace(/[\s\u00a0]/g, '').replace(',', '.'));
    if (!Number.isFinite(n) || n < 0 || n >= 1e12) {
      ctx.addIssue({ code: 'custom', message: 'must be an amount from 0 to 999 999 999 999.99' });
      return z.NEVER;
    }
    return n.toFixed(2);
  });
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code');

export const DATE_TIME_MESSAGE = 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-23T09:00:00+03:00';
const RANGE_MESSAGE = 'must be a date-time between the years 1 and 9999';
/**
 * An instant: an ISO 8601 date-time with its offset (or Z) from outside, a Date from our own
 * code. Years 1..9999, well inside what Postgres stores.
 */
export const dateTimeSchema = z
  .union([z.iso.datetime({ offset: true, error: DATE_TIME_MESSAGE }), z.date({ error: DATE_TIME_MESSAGE })], { error: DATE_TIME_MESSAGE })
  .transform((v) => (v instanceof Date ? v : new Date(v)))
  .refine((d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999, RANGE_MESSAGE);

/** Strips keys whose value is undefined, so a patch only touches what was sent. */
export function definedOnly<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
