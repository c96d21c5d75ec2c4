// Russian wording of parsed values for the logist reading an explanation.
import type { PaymentKind, ReplyKind, VatKind, VehicleKind } from './types.ts';

export const kindLabels: Record<ReplyKind, string> = {
  offer: 'предложение',
  decline: 'отказ',
  optout: 'отписка от рассылки',
  redirect: 'переадресация на другой контакт',
  question: 'вопрос',
  unclear: 'непонятно',
};

export const vehicleLabels: Record<VehicleKind, string> = {
  tent: 'тент',
  ref: 'рефрижератор',
  isotherm: 'изотерм',
  flatbed: 'бортовой / площадка',
  container: 'контейнеровоз',
  tanker: 'цистерна',
  tipper: 'самосвал',
  lowboy: 'трал',
  van: 'фургон / газель',
};

export const vatLabels: Record<VatKind, string> = {
  with: 'с НДС',
  without: 'без НДС',
};

export const paymentLabels: Record<PaymentKind, string> = {
  cash: 'наличные',
  bank: 'безнал на расчётный счёт',
  card: 'перевод на карту',
};
