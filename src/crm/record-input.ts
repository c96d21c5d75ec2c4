// Input pieces shared by contacts, companies, leads and deals.
import { z } from 'zod';
import { normalizePhone } from './phone.ts';

export const idSchema = z.number().int().positive();
export const optionalText = (max = 1000) => z.string().trim().max(max).nullable().optional();
export const phoneSchema = z
  .string()
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
export const customSchema = z.record(z.string(), z.unknown());
export const utmSchema = z.record(z.string().max(64), z.string().max(500));
export const amountSchema = z
  .union([z.number(), z.string()])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v.replace(/[\s\u00a0]/g, '').replace(',', '.'));
    if (!Number.isFinite(n) || n < 0 || n >= 1e12) {
      ctx.addIssue({ code: 'custom', message: 'must be an amount from 0 to 999 999 999 999.99' });
      return z.NEVER;
    }
    return n.toFixed(2);
  });
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter currency code');

/** Strips keys whose value is undefined, so a patch only touches what was sent. */
export function definedOnly<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
