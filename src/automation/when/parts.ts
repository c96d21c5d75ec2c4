// What the recognizers find in a text: spans that name a date, a time, or both. The resolver
// turns the chosen parts into one instant by the conventions (see resolve.ts).

export const OFFSET_UNITS = ['minutes', 'hours', 'days', 'weeks', 'months', 'years'] as const;
export type OffsetUnit = (typeof OFFSET_UNITS)[number];

export type DateSpec =
  /** "через 2 часа", "in 3 days", "через 3 рабочих дня". */
  | { readonly kind: 'offset'; readonly amount: number; readonly unit: OffsetUnit; readonly business: boolean }
  /** "в следующий рабочий день". */
  | { readonly kind: 'next-working-day' }
  /** "сегодня" 0, "завтра" 1, "послезавтра" 2, "вчера" -1. */
  | { readonly kind: 'relative-day'; readonly days: number; readonly word: string }
  /** ISO weekday 1 (Monday) .. 7. */
  | { readonly kind: 'weekday'; readonly weekday: number }
  /** A day and month, with the year when written. */
  | { readonly kind: 'calendar-date'; readonly day: number; readonly month: number; readonly year?: number }
  /** "на следующей неделе": Monday of next week. */
  | { readonly kind: 'next-week' }
  /** "к концу недели": this week's Friday (the next one once it has passed). */
  | { readonly kind: 'end-of-week' };

export interface TimeSpec {
  readonly hour: number;
  readonly minute: number;
  /** A part of the day ("после обеда") or a phrase ("к концу дня") the time stands for. */
  readonly label?: string;
  /** A bare hour 1–6 with no "утра"/"am": read as afternoon (в 3 → 15:00). */
  readonly afternoonGuess?: boolean;
  /** Without a date it means today even when passed ("к концу дня"), not the next such time. */
  readonly today?: boolean;
}

export interface Part {
  /** Offsets into the scanned text. */
  readonly start: number;
  readonly end: number;
  readonly date?: DateSpec;
  readonly time?: TimeSpec;
  /** Ours win over chrono's where they overlap. */
  readonly source: 'own' | 'chrono';
}
