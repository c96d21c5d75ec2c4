// Intl.DateTimeFormat objects, one per locale, time zone and options, kept: building one costs
// ~135 µs here (it loads the zone's rules), formatting with a kept one ~4 µs, and flows and
// cards format a date or two for every update they handle.
const formats = new Map<string, Intl.DateTimeFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}
