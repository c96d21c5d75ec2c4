// Secrets and sizes in log text. Every string the logger writes goes through `text` (values of
// the configured secrets, and the shapes of secrets whoever's they are: a Telegram bot token
// in a URL, an API token, a webhook signature, a Bearer header, a password in a URL, the
// parameters drizzle puts in a failed query's message), then every finished line through
// `line`, which knows JSON's escaping. The patterns are written to run in linear time: a
// string of digits or letters megabytes long costs one pass, not a pass per position.

// No secret is longer: a cut inside a word drops up to this many characters before it.
const LONGEST_SECRET = 320;

/** Configured secret values shorter than this are not searched for: "abc" would garble every line. */
export const MIN_SECRET_LENGTH = 6;

type Rule = [RegExp, string];

// Shared by raw strings and JSON lines: none of these characters is escaped in JSON.
const shapes: Rule[] = [
  // A Telegram bot token, alone or in a Bot API URL (…/bot<token>/sendMessage).
  [/(?<!\d)\d{5,}:[A-Za-z0-9_-]{30,}/g, '[redacted bot token]'],
  // chatcrm API tokens (src/crm/api-tokens.ts).
  [/ccrm_[A-Za-z0-9_-]{8,}/g, 'ccrm_[redacted]'],
  // Webhook signatures (X-Hub-Signature-256: sha256=…).
  [/\b(sha1|sha256)=[0-9a-fA-F]{16,}/g, '$1=[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, '$1 [redacted]'],
  // user:password@ in any URL (postgres://, redis://, https://).
  [/(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:@/"'\\]*):[^\s@/"'\\]+@/g, '$1:[redacted]@'],
];

// drizzle's DrizzleQueryError message is "Failed query: <sql>\nparams: <values>": the values
// are the customer's. In a raw string they run to its end (they may hold newlines).
const rawOnly: Rule[] = [[/(Failed query: [\s\S]*?)\nparams: [\s\S]*$/, '$1\nparams: [omitted]']];
// In a JSON line the newline is the two characters \n and the value ends at an unescaped quote.
const lineOnly: Rule[] = [[/(Failed query: (?:[^"\\]|\\.)*?)\\nparams: (?:[^"\\]|\\.)*/g, '$1\\nparams: [omitted]']];

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function valueRule(values: Iterable<string>): Rule | null {
  const unique = [...new Set(values)].filter((v) => v.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return unique.length ? [new RegExp(unique.map(escapeRegExp).join('|'), 'g'), '[redacted]'] : null;
}

/** The forms a secret value can take in a log: as is, percent-encoded in a URL, escaped in JSON. */
function formsOf(secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret)];
  try {
    forms.push(decodeURIComponent(secret));
  } catch {
    // not percent-encoded
  }
  return forms;
}

export interface Scrubber {
  /** A raw string with every secret replaced, cut to `max` characters (its length noted). */
  text(s: string, max: number): string;
  /** A finished JSON log line with every secret replaced. */
  line(s: string): string;
}

export function createScrubber(secrets: Iterable<string>): Scrubber {
  const raw = [...secrets].flatMap(formsOf);
  const rawValues = valueRule(raw);
  const jsonValues = valueRule(raw.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]));
  const rawRules = [...(rawValues ? [rawValues] : []), ...shapes, ...rawOnly];
  const lineRules = [...(jsonValues ? [jsonValues] : []), ...shapes, ...lineOnly];
  const apply = (s: string, rules: Rule[]) => rules.reduce((acc, [re, to]) => acc.replace(re, to), s);
  // Longest secret a window must hold whole to be matched: the window past the cut is scanned,
  // so a secret straddling the cut is replaced, not left half.
  const margin = Math.max(512, ...raw.map((v) => v.length + 16));
  return {
    text(s, max) {
      if (s.length <= max) return apply(s, rawRules);
      const end = max + margin;
      let scrubbed = apply(s.slice(0, end), rawRules);
      if (scrubbed.length > max) return cut(scrubbed, max, s.length);
      // Replacements made the window short: its own end is then the cut.
      if (s.length > end && /\S$/.test(scrubbed) && /^\S/.test(s.slice(end))) scrubbed = dropWordEnd(scrubbed);
      return `${scrubbed}…[${s.length} chars]`;
    },
    line: (s) => apply(s, lineRules),
  };
}

/**
 * The first `max` characters of `s`, with how long it was. A cut inside a word drops the
 * word's end before the cut: it may be the start of a secret that no pattern recognises cut short.
 */
export function cut(s: string, max: number, originalLength = s.length): string {
  if (s.length <= max) return s;
  let head = s.slice(0, max);
  if (/\S$/.test(head) && /^\S/.test(s.slice(max))) head = dropWordEnd(head);
  // Not inside a surrogate pair either.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return `${head}…[${originalLength} chars]`;
}

/** `s` without the word it ends in (at most LONGEST_SECRET characters of it). */
function dropWordEnd(s: string): string {
  const from = Math.max(0, s.length - LONGEST_SECRET);
  for (let i = s.length - 1; i >= from; i--) if (/\s/.test(s[i]!)) return s.slice(0, i + 1);
  return s.slice(0, from);
}
