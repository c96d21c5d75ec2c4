// One year of the Russian production calendar (производственный календарь) as data: what the
// Labour Code (ТК РФ, ст. 112) and the year's government decree on transfers of days off make
// of the five-day week. Dates are civil dates (YYYY-MM-DD): they hold in every time zone.

export interface ProductionYear {
  readonly year: number;
  /**
   * True when every day the law and the decree fix is here. False when the decree is not
   * known: the Labour Code's own days are, the decree's transfers are not.
   */
  readonly complete: boolean;
  /** The acts the data comes from. */
  readonly sources: readonly string[];
  /** Non-working public holidays (нерабочие праздничные дни), ТК РФ ст. 112 ч. 1. */
  readonly holidays: readonly string[];
  /** Weekdays made days off: a holiday falling on a weekend moved (ст. 112 ч. 2) or a decree's transfer. */
  readonly daysOff: readonly { readonly date: string; readonly from: string }[];
  /** Saturdays or Sundays made working days, with the weekday whose work they take. */
  readonly workingWeekends: readonly { readonly date: string; readonly replaces: string }[];
  /** Working days one hour shorter: the day right before a holiday (ТК РФ ст. 95). */
  readonly shortened: readonly string[];
}
