// Vocabularies of the parse-replies contract (ARCHITECTURE.md, "Contracts"). The tuples feed
// both the TypeScript types and the zod schema, so the two cannot drift apart.
export const replyKinds = ['offer', 'decline', 'optout', 'redirect', 'question', 'unclear'] as const;
export type ReplyKind = (typeof replyKinds)[number];

export const vehicleKinds = [
  'tent',
  'ref',
  'isotherm',
  'flatbed',
  'container',
  'tanker',
  'tipper',
  'lowboy',
  'van',
] as const;
export type VehicleKind = (typeof vehicleKinds)[number];

export const vatKinds = ['with', 'without'] as const;
export type VatKind = (typeof vatKinds)[number];

export const paymentKinds = ['cash', 'bank', 'card'] as const;
export type PaymentKind = (typeof paymentKinds)[number];

/** What produced one field, worded for a logist: the words of the reply and how they were read. */
export interface Explanation {
  field: string;
  source: string;
  value: string;
}

export interface ParsedReply {
  kind: ReplyKind;
  /** Whole roubles for the trip. */
  rate: number | null;
  rate_per_km: number | null;
  vat: VatKind | null;
  payment: PaymentKind | null;
  deferral_days: number | null;
  /** YYYY-MM-DD in the company time zone. */
  ready_at: string | null;
  vehicle: VehicleKind | null;
  /** E.164. */
  phone: string | null;
  /** 0..1 */
  confidence: number;
  explanations: Explanation[];
}

export interface ParseOptions {
  now: Date;
  /** IANA zone of the company; relative dates ("завтра") are read in it. */
  tz: string;
}
