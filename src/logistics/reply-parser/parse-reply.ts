// One carrier reply in, one structured offer out. Deterministic and offline: the extractors
// run in a fixed order, each claiming the tokens it understood, so a phone number or a date
// is never read again as a rate.
import { civilDateAt, toIsoDate, toRussianDate, type CivilDate } from './calendar.ts';
import { toContractJson, parsedReplySchema, type ContractReply, type ReplyId } from './contract.ts';
import { findDates } from './dates.ts';
import { findDeferral } from './deferral.ts';
import { decideIntent } from './intent.ts';
import { kindLabels, paymentLabels, vatLabels, vehicleLabels } from './labels.ts';
import { findMoney, formatRub } from './money.ts';
import { analyze, MAX_ANALYZED_CHARS, sourceOf } from './normalize.ts';
import { findPhones } from './phone.ts';
import { findPolarity } from './polarity.ts';
import type { Explanation, ParseOptions, ParsedReply } from './types.ts';
import { findPayment, findVat, pickNearest } from './vat-payment.ts';
import { findVehicle } from './vehicle.ts';

export { toContractJson, parsedReplySchema };
export type { ContractReply, ReplyId };

// Resolving "today" goes through Intl, the slowest step; a batch shares one `now`.
let lastToday: { tz: string; now: number; today: CivilDate } | null = null;

function todayIn(now: number, tz: string): CivilDate {
  if (lastToday && lastToday.now === now && lastToday.tz === tz) return lastToday.today;
  const today = civilDateAt(now, tz);
  lastToday = { tz, now, today };
  return today;
}

export function parseReply(text: string, opts: ParseOptions): ParsedReply {
  const now = opts.now.getTime();
  const today = todayIn(now, opts.tz);
  const a = analyze(typeof text === 'string' ? text : '');
  const explanations: Explanation[] = [];
  const explain = (field: string, first: number, last: number, value: string): void => {
    explanations.push({ field, source: sourceOf(a, first, last), value });
  };

  const phones = findPhones(a);
  const polarity = findPolarity(a);
  const deferral = findDeferral(a);
  const dates = findDates(a, { today, now, tz: opts.tz });
  const money = findMoney(a, polarity);
  const vehicle = findVehicle(a);

  const rate = money.rate;
  const anchor = rate ? rate.first : money.perKm ? money.perKm.first : null;
  const vat = pickNearest(findVat(a), anchor);
  let payment = pickNearest(findPayment(a), anchor);
  const readyAt = dates.find((d) => !polarity.negativeClauses[d.clause]) ?? null;
  const phone = phones[0] ?? null;

  const intent = decideIntent(a, polarity, {
    hasRate: rate !== null,
    hasRatePerKm: money.perKm !== null,
    rateIsMarked: rate !== null && rate.score >= 3,
    rateIsCounter: rate !== null && rate.note.includes('встречное'),
    hasPhone: phone !== null,
    hasReadyAt: readyAt !== null,
    hasVehicle: vehicle !== null,
  });

  if (a.truncated) {
    explanations.push({
      field: 'text',
      source: `${a.source.slice(0, 40)}…`,
      value: `ответ длиной ${a.originalLength} символов, разобраны первые ${MAX_ANALYZED_CHARS}`,
    });
  }
  const kindValue = `${kindLabels[intent.kind]}: ${intent.reason}`;
  if (intent.cue) explain('kind', intent.cue.first, intent.cue.last, kindValue);
  else if (rate && intent.kind === 'offer') explain('kind', rate.first, rate.last, kindValue);
  else if (money.perKm && intent.kind === 'offer') explain('kind', money.perKm.first, money.perKm.last, kindValue);
  else explanations.push({ field: 'kind', source: a.source.slice(0, 60), value: kindValue });

  if (rate) {
    const rejected = money.rejected.map((r) => `«${sourceOf(a, r.first, r.last)}» — отклонённая ставка`).join('; ');
    const notes = [rate.note, rejected].filter((s) => s !== '').join('; ');
    explain('rate', rate.first, rate.last, notes ? `${formatRub(rate.rub)} (${notes})` : formatRub(rate.rub));
  }
  if (money.perKm) explain('rate_per_km', money.perKm.first, money.perKm.last, `${money.perKm.value} ₽/км`);
  if (vat) explain('vat', vat.first, vat.last, vatLabels[vat.value]);
  if (payment) explain('payment', payment.first, payment.last, paymentLabels[payment.value]);
  else if (vat?.value === 'with') {
    // VAT invoices are paid to a settlement account; nobody pays VAT in cash.
    payment = { value: 'bank', first: vat.first, last: vat.last };
    explain('payment', vat.first, vat.last, `${paymentLabels.bank} (подразумевается при НДС)`);
  }
  if (deferral) explain('deferral_days', deferral.first, deferral.last, deferral.note);
  if (readyAt) explain('ready_at', readyAt.first, readyAt.last, toRussianDate(readyAt.date, today));
  if (vehicle) explain('vehicle', vehicle.first, vehicle.last, vehicleLabels[vehicle.value]);
  if (phone) explain('phone', phone.first, phone.last, phone.e164);

  return {
    kind: intent.kind,
    rate: rate ? rate.rub : null,
    rate_per_km: money.perKm ? money.perKm.value : null,
    vat: vat ? vat.value : null,
    payment: payment ? payment.value : null,
    deferral_days: deferral ? deferral.days : null,
    ready_at: readyAt ? toIsoDate(readyAt.date) : null,
    vehicle: vehicle ? vehicle.value : null,
    phone: phone ? phone.e164 : null,
    confidence: intent.confidence,
    explanations,
  };
}
