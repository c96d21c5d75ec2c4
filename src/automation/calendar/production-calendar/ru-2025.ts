// Russian production calendar, 2025. Complete.
// Sources: ТК РФ ст. 112 (holidays), ст. 95 (pre-holiday days one hour shorter);
// Постановление Правительства РФ от 04.10.2024 № 1335 «О переносе выходных дней в 2025 году»:
// Sat 4 Jan → Fri 2 May, Sun 5 Jan → Wed 31 Dec, Sun 23 Feb → Thu 8 May, Sat 8 Mar → Fri 13 Jun,
// Sat 1 Nov → Mon 3 Nov (1 Nov worked, one hour shorter: 2 to 4 Nov are off).
// Check: 247 working days, 1972 hours at 40 h a week.
import type { ProductionYear } from './types.ts';

export const RU_2025: ProductionYear = {
  year: 2025,
  complete: true,
  sources: ['ТК РФ ст. 112, ст. 95', 'Постановление Правительства РФ от 04.10.2024 № 1335'],
  holidays: [
    '2025-01-01', '2025-01-02', '2025-01-03', '2025-01-04', '2025-01-05', '2025-01-06', '2025-01-07', '2025-01-08',
    '2025-02-23', '2025-03-08', '2025-05-01', '2025-05-09', '2025-06-12', '2025-11-04',
  ],
  daysOff: [
    { date: '2025-05-02', from: '2025-01-04' },
    { date: '2025-05-08', from: '2025-02-23' },
    { date: '2025-06-13', from: '2025-03-08' },
    { date: '2025-11-03', from: '2025-11-01' },
    { date: '2025-12-31', from: '2025-01-05' },
  ],
  workingWeekends: [{ date: '2025-11-01', replaces: '2025-11-03' }],
  shortened: ['2025-03-07', '2025-04-30', '2025-06-11', '2025-11-01'],
};
