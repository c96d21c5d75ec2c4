// Russian production calendar, 2027. NOT complete: only what the Labour Code fixes by itself.
// Sources: ТК РФ ст. 112 (holidays; a holiday other than 1–8 January falling on a weekend moves
// to the next working day: Sat 1 May → Mon 3 May, Sun 9 May → Mon 10 May, Sat 12 Jun → Mon 14 Jun),
// ст. 95 (the working day right before a holiday is one hour shorter).
// Missing: the government decree «О переносе выходных дней в 2027 году». It must place the two
// January holidays falling on a weekend (Sat 2 Jan, Sun 3 Jan) on other days and may swap
// Saturdays; no text of it with its date and number could be found to cite. Published drafts
// disagree (one: Fri 5 Nov and Fri 31 Dec off, Sat 20 Feb worked for Mon 22 Feb; an earlier one:
// Sat 13 Nov worked), so none is shipped. Until this file is completed from the decree, a
// company adds those days as overrides of its calendar.
import type { ProductionYear } from './types.ts';

export const RU_2027: ProductionYear = {
  year: 2027,
  complete: false,
  sources: ['ТК РФ ст. 112, ст. 95'],
  holidays: [
    '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08',
    '2027-02-23', '2027-03-08', '2027-05-01', '2027-05-09', '2027-06-12', '2027-11-04',
  ],
  daysOff: [
    { date: '2027-05-03', from: '2027-05-01' },
    { date: '2027-05-10', from: '2027-05-09' },
    { date: '2027-06-14', from: '2027-06-12' },
  ],
  workingWeekends: [],
  shortened: ['2027-02-22', '2027-04-30', '2027-06-11', '2027-11-03', '2027-12-31'],
};
