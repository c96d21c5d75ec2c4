// Russian production calendar, 2026. Complete.
// Sources: ТК РФ ст. 112 (holidays; a holiday on a weekend moves to the next working day:
// Sun 8 Mar → Mon 9 Mar, Sat 9 May → Mon 11 May), ст. 95 (pre-holiday days one hour shorter);
// Постановление Правительства РФ от 24.09.2025 № 1466 «О переносе выходных дней в 2026 году»:
// Sat 3 Jan → Fri 9 Jan, Sun 4 Jan → Thu 31 Dec. No working Saturdays.
// Check: 247 working days, 1972 hours at 40 h a week.
import type { ProductionYear } from './types.ts';

export const RU_2026: ProductionYear = {
  year: 2026,
  complete: true,
  sources: ['ТК РФ ст. 112, ст. 95', 'Постановление Правительства РФ от 24.09.2025 № 1466'],
  holidays: [
    '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08',
    '2026-02-23', '2026-03-08', '2026-05-01', '2026-05-09', '2026-06-12', '2026-11-04',
  ],
  daysOff: [
    { date: '2026-01-09', from: '2026-01-03' },
    { date: '2026-03-09', from: '2026-03-08' },
    { date: '2026-05-11', from: '2026-05-09' },
    { date: '2026-12-31', from: '2026-01-04' },
  ],
  workingWeekends: [],
  shortened: ['2026-04-30', '2026-05-08', '2026-06-11', '2026-11-03'],
};
