// The JSON line that `parse-replies` prints, exactly as ARCHITECTURE.md specifies it. Other
// code and checks read these lines, so the schema is strict: no extra keys, no loose types.
import { z } from 'zod';
import { paymentKinds, replyKinds, vatKinds, vehicleKinds, type ParsedReply } from './types.ts';

export const replyIdSchema = z.union([z.string(), z.number()]).nullable();

export const parsedReplySchema = z.strictObject({
  id: replyIdSchema,
  kind: z.enum(replyKinds),
  rate: z.number().int().positive().nullable(),
  rate_per_km: z.number().positive().nullable(),
  vat: z.enum(vatKinds).nullable(),
  payment: z.enum(paymentKinds).nullable(),
  deferral_days: z.number().int().nonnegative().nullable(),
  ready_at: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable(),
  vehicle: z.enum(vehicleKinds).nullable(),
  phone: z
    .string()
    .regex(/^\+[1-9]\d{9,14}$/)
    .nullable(),
  confidence: z.number().min(0).max(1),
});

export type ContractReply = z.infer<typeof parsedReplySchema>;
export type ReplyId = z.infer<typeof replyIdSchema>;

/** The contract object, keys in contract order with `id` first and no explanations. */
export function toContractJson(parsed: ParsedReply, id: ReplyId): ContractReply {
  return {
    id,
    kind: parsed.kind,
    rate: parsed.rate,
    rate_per_km: parsed.rate_per_km,
    vat: parsed.vat,
    payment: parsed.payment,
    deferral_days: parsed.deferral_days,
    ready_at: parsed.ready_at,
    vehicle: parsed.vehicle,
    phone: parsed.phone,
    confidence: parsed.confidence,
  };
}

/** The line for an input that could not be read: nothing known, confidence 0. */
export function unreadableReply(id: ReplyId): ContractReply {
  return {
    id,
    kind: 'unclear',
    rate: null,
    rate_per_km: null,
    vat: null,
    payment: null,
    deferral_days: null,
    ready_at: null,
    vehicle: null,
    phone: null,
    confidence: 0,
  };
}
