// parse_mode handling: turns HTML / MarkdownV2 / Markdown text into the plain text and
// entities Telegram stores, and refuses malformed markup with Telegram's "can't parse
// entities" errors. Bots that forget to escape a '.' in MarkdownV2 or leave a '<' in HTML
// fail here the way they would fail in production. Offsets and lengths are UTF-16 code
// units, as in the Bot API. Error texts follow Telegram's; the byte offsets are close to,
// not guaranteed equal to, Telegram's.
import type { MessageEntity } from 'grammy/types';
import { badRequest, type BotApiError } from './errors.ts';

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

type EntityType = MessageEntity['type'];

interface OpenEntity {
  /** null: markup that produces no entity (an `<a>` without href, `<code>` carrying a `<pre>` language). */
  type: EntityType | null;
  /** Offset in the output text. */
  offset: number;
  /** Byte offset in the input, for error messages. */
  at: number;
  extra?: Record<string, unknown>;
  /** The tag name (HTML) or marker (Markdown) that closes it. */
  closer: string;
}

const cantParse = (what: string): BotApiError => badRequest(`can't parse entities: ${what}`);

/** Applies parse_mode (or explicit entities, which win) and Telegram's whitespace trimming. */
export function formatText(input: string, parseMode: string | undefined, explicit?: MessageEntity[]): FormattedText {
  let parsed: FormattedText;
  if (explicit && explicit.length > 0) parsed = { text: input, entities: explicit.map((e) => ({ ...e })) };
  else if (!parseMode) parsed = { text: input, entities: [] };
  else {
    const mode = parseMode.toLowerCase();
    if (mode === 'html') parsed = parseHtml(input);
    else if (mode === 'markdownv2') parsed = parseMarkdownV2(input);
    else if (mode === 'markdown') parsed = parseMarkdown(input);
    else throw badRequest(`unsupported parse_mode`);
  }
  return trim(parsed);
}

function trim({ text, entities }: FormattedText): FormattedText {
  const lead = text.length - text.trimStart().length;
  const out = text.trim();
  const kept: MessageEntity[] = [];
  for (const e of entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(out.length, e.offset + e.length - lead);
    if (end > start) kept.push({ ...e, offset: start, length: end - start });
  }
  kept.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities: kept };
}

function byteOffset(s: string, i: number): number {
  return Buffer.byteLength(s.slice(0, i), 'utf8');
}

function close(open: OpenEntity, end: number, out: MessageEntity[]): void {
  if (open.type !== null && end > open.offset) out.push({ type: open.type, offset: open.offset, length: end - open.offset, ...open.extra } as MessageEntity);
}

// ---- HTML ------------------------------------------------------------------------------

const HTML_TAGS: Record<string, EntityType> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
  span: 'spoiler',
};

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export function parseHtml(src: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  const stack: OpenEntity[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '&') {
      const m = /^&(#x[0-9a-f]+|#\d+|[a-z]+);/i.exec(src.slice(i, i + 12));
      const name = m?.[1];
      if (m && name !== undefined) {
        const decoded = name.startsWith('#x') || name.startsWith('#X')
          ? String.fromCodePoint(parseInt(name.slice(2), 16))
          : name.startsWith('#')
            ? String.fromCodePoint(parseInt(name.slice(1), 10))
            : NAMED_ENTITIES[name.toLowerCase()];
        if (decoded !== undefined) {
          text += decoded;
          i += m[0].length;
          continue;
        }
      }
      text += c;
      i++;
      continue;
    }
    if (c !== '<') {
      text += c;
      i++;
      continue;
    }
    const at = byteOffset(src, i);
    const end = src.indexOf('>', i);
    if (end < 0) throw cantParse(`Unclosed start tag at byte offset ${at}`);
    const inner = src.slice(i + 1, end);
    i = end + 1;
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw cantParse(`Unexpected end tag at byte offset ${at}`);
      if (open.closer !== name) throw cantParse(`Unmatched end tag at byte offset ${at}, expected "</${open.closer}>", found "</${name}>"`);
      close(open, text.length, entities);
      continue;
    }
    const tm = /^([a-z][a-z0-9-]*)\s*(.*)$/is.exec(inner);
    const name = tm?.[1]?.toLowerCase();
    if (!tm || name === undefined || !(name in HTML_TAGS)) {
      throw cantParse(`Unsupported start tag "${name ?? inner}" at byte offset ${at}`);
    }
    const attrs = parseAttributes(tm[2] ?? '');
    let type: EntityType | null = HTML_TAGS[name] as EntityType;
    const extra: Record<string, unknown> = {};
    if (name === 'a') {
      const href = attrs.get('href');
      const mention = href && /^tg:\/\/user\?id=(\d+)$/.exec(href);
      if (mention) {
        type = 'text_mention';
        extra.user = { id: Number(mention[1]), is_bot: false, first_name: '' };
      } else if (href) {
        extra.url = href;
      } else {
        type = null;
      }
    } else if (name === 'span') {
      if (attrs.get('class') !== 'tg-spoiler') throw cantParse(`Tag "span" must have class "tg-spoiler" at byte offset ${at}`);
    } else if (name === 'code') {
      const parent = stack.at(-1);
      const lang = /^language-(.+)$/.exec(attrs.get('class') ?? '')?.[1];
      if (parent?.type === 'pre' && lang) {
        parent.extra = { ...parent.extra, language: lang };
        stack.push({ type: null, offset: text.length, at, closer: name });
        continue;
      }
    } else if (name === 'blockquote' && attrs.has('expandable')) {
      type = 'expandable_blockquote';
    } else if (name === 'tg-emoji') {
      const id = attrs.get('emoji-id');
      if (!id) throw cantParse(`Custom emoji entity must contain a tg://emoji URL at byte offset ${at}`);
      extra.custom_emoji_id = id;
    }
    stack.push({ type, offset: text.length, at, closer: name, extra });
  }
  const open = stack.pop();
  if (open) throw cantParse(`Can't find end tag corresponding to start tag "${open.closer}"`);
  return { text, entities };
}

function parseAttributes(s: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([a-z][a-z0-9-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+)))?/gi;
  for (const m of s.matchAll(re)) {
    const key = m[1];
    if (key === undefined) continue;
    const raw = m[2] ?? m[3] ?? m[4] ?? '';
    attrs.set(key.toLowerCase(), raw.replace(/&(lt|gt|amp|quot);/g, (_, n: string) => NAMED_ENTITIES[n] ?? ''));
  }
  return attrs;
}

// ---- MarkdownV2 ------------------------------------------------------------------------

const RESERVED_V2 = new Set('_*[]()~`>#+-=|{}.!');

export function parseMarkdownV2(src: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  const stack: OpenEntity[] = [];
  let quote: { offset: number; type: EntityType } | null = null;
  let i = 0;
  const lineStart = () => i === 0 || src[i - 1] === '\n';
  while (i < src.length) {
    const c = src[i] as string;
    const at = byteOffset(src, i);
    if (lineStart()) {
      const expandable = src.startsWith('**>', i);
      if (src[i] === '>' || expandable) {
        if (!quote) quote = { offset: text.length, type: expandable ? 'expandable_blockquote' : 'blockquote' };
        i += expandable ? 3 : 1;
        continue;
      }
      if (quote) {
        close({ type: quote.type, offset: quote.offset, at: 0, closer: '' }, Math.max(quote.offset, text.length - 1), entities);
        quote = null;
      }
    }
    if (c === '\\') {
      const next = src[i + 1];
      if (next === undefined) throw cantParse(`Character '\\' is reserved and must be escaped with the preceding '\\'`);
      text += next;
      i += 2;
      continue;
    }
    if (c === '`') {
      const isPre = src.startsWith('```', i);
      const marker = isPre ? '```' : '`';
      let j = i + marker.length;
      let language: string | undefined;
      if (isPre) {
        const lm = /^([^\s`]+)\n/.exec(src.slice(j));
        if (lm?.[1]) {
          language = lm[1];
          j += lm[0].length;
        } else if (src[j] === '\n') j++;
      }
      let body = '';
      for (;;) {
        if (j >= src.length) throw cantParse(`Can't find end of ${isPre ? 'Pre' : 'Code'} entity at byte offset ${at}`);
        if (src[j] === '\\' && j + 1 < src.length) {
          body += src[j + 1];
          j += 2;
          continue;
        }
        if (src.startsWith(marker, j)) break;
        body += src[j];
        j++;
      }
      const offset = text.length;
      text += body;
      close({ type: isPre ? 'pre' : 'code', offset, at, closer: marker, ...(language ? { extra: { language } } : {}) }, text.length, entities);
      i = j + marker.length;
      continue;
    }
    const top = stack.at(-1);
    if (top && closesV2(top, src, i)) {
      stack.pop();
      i += top.closer.length;
      if (top.type === 'text_link') {
        // `[text]` must be followed by `(url)`; Telegram drops the link when it is not.
        if (src[i] === '(') {
          let url = '';
          let j = i + 1;
          for (;;) {
            if (j >= src.length) throw cantParse(`Can't find end of a URL at byte offset ${byteOffset(src, i)}`);
            if (src[j] === '\\' && j + 1 < src.length) {
              url += src[j + 1];
              j += 2;
              continue;
            }
            if (src[j] === ')') break;
            url += src[j];
            j++;
          }
          i = j + 1;
          const mention = /^tg:\/\/user\?id=(\d+)$/.exec(url);
          if (mention) close({ ...top, type: 'text_mention', extra: { user: { id: Number(mention[1]), is_bot: false, first_name: '' } } }, text.length, entities);
          else if (url.startsWith('tg://emoji?id=')) close({ ...top, type: 'custom_emoji', extra: { custom_emoji_id: url.slice(14) } }, text.length, entities);
          else close({ ...top, extra: { url } }, text.length, entities);
        }
        continue;
      }
      close(top, text.length, entities);
      continue;
    }
    const opened = opensV2(src, i);
    if (opened) {
      stack.push({ type: opened.type, offset: text.length, at, closer: opened.closer });
      i += opened.length;
      continue;
    }
    if (RESERVED_V2.has(c)) throw cantParse(`Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    text += c;
    i++;
  }
  if (quote) close({ type: quote.type, offset: quote.offset, at: 0, closer: '' }, text.length, entities);
  const open = stack.pop();
  if (open) throw cantParse(`Can't find end of ${entityName(open.type)} entity at byte offset ${open.at}`);
  return { text, entities };
}

function closesV2(top: OpenEntity, src: string, i: number): boolean {
  switch (top.type) {
    case 'italic':
      return src[i] === '_' && src[i + 1] !== '_';
    case 'underline':
      return src.startsWith('__', i);
    case 'bold':
      return src[i] === '*';
    case 'strikethrough':
      return src[i] === '~';
    case 'spoiler':
      return src.startsWith('||', i);
    case 'text_link':
      return src[i] === ']';
    default:
      return false;
  }
}

function opensV2(src: string, i: number): { type: EntityType; closer: string; length: number } | null {
  if (src.startsWith('__', i)) return { type: 'underline', closer: '__', length: 2 };
  if (src[i] === '_') return { type: 'italic', closer: '_', length: 1 };
  if (src[i] === '*') return { type: 'bold', closer: '*', length: 1 };
  if (src[i] === '~') return { type: 'strikethrough', closer: '~', length: 1 };
  if (src.startsWith('||', i)) return { type: 'spoiler', closer: '||', length: 2 };
  if (src.startsWith('![', i)) return { type: 'text_link', closer: ']', length: 2 };
  if (src[i] === '[') return { type: 'text_link', closer: ']', length: 1 };
  return null;
}

function entityName(type: EntityType | null): string {
  if (type === null) return 'the';
  const names: Partial<Record<EntityType, string>> = {
    bold: 'Bold',
    italic: 'Italic',
    underline: 'Underline',
    strikethrough: 'Strikethrough',
    spoiler: 'Spoiler',
    text_link: 'TextUrl',
  };
  return names[type] ?? type;
}

// ---- Markdown (legacy) -----------------------------------------------------------------

export function parseMarkdown(src: string): FormattedText {
  let text = '';
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (c === '\\' && i + 1 < src.length && '_*`['.includes(src[i + 1] as string)) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    const at = byteOffset(src, i);
    const missingEnd = () => cantParse(`Can't find end of the entity starting at byte offset ${at}`);
    if (c === '*' || c === '_') {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw missingEnd();
      const offset = text.length;
      text += src.slice(i + 1, end);
      close({ type: c === '*' ? 'bold' : 'italic', offset, at, closer: c }, text.length, entities);
      i = end + 1;
      continue;
    }
    if (c === '`') {
      const pre = src.startsWith('```', i);
      const marker = pre ? '```' : '`';
      const end = src.indexOf(marker, i + marker.length);
      if (end < 0) throw missingEnd();
      let body = src.slice(i + marker.length, end);
      let language: string | undefined;
      if (pre) {
        const lm = /^([^\s`]+)\n/.exec(body);
        if (lm?.[1]) {
          language = lm[1];
          body = body.slice(lm[0].length);
        }
      }
      const offset = text.length;
      text += body;
      close({ type: pre ? 'pre' : 'code', offset, at, closer: marker, ...(language ? { extra: { language } } : {}) }, text.length, entities);
      i = end + marker.length;
      continue;
    }
    if (c === '[') {
      const m = /^\[([^\]]*)\]\(([^)]*)\)/.exec(src.slice(i));
      if (!m) throw missingEnd();
      const offset = text.length;
      text += m[1] ?? '';
      close({ type: 'text_link', offset, at, closer: ']', extra: { url: m[2] ?? '' } }, text.length, entities);
      i += m[0].length;
      continue;
    }
    text += c;
    i++;
  }
  return { text, entities };
}

// ---- entities Telegram finds on its own in what users write ----------------------------

/** bot_command, mention, hashtag, url and email entities, as clients and servers detect them in incoming text. */
export function detectEntities(text: string): MessageEntity[] {
  const found: MessageEntity[] = [];
  const patterns: [EntityType, RegExp][] = [
    ['bot_command', /(?<![\w/])\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])/g],
    ['email', /(?<![\w.@])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w@])/g],
    ['url', /(?<![\w@])(?:https?:\/\/)[^\s<>"]+[^\s<>".,;:!?)\]]/gi],
    ['mention', /(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?!\w)/g],
    ['hashtag', /(?<![\w#])#[\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*/gu],
  ];
  for (const [type, re] of patterns) {
    for (const m of text.matchAll(re)) {
      const offset = m.index;
      const length = m[0].length;
      if (found.some((e) => offset < e.offset + e.length && e.offset < offset + length)) continue;
      found.push({ type, offset, length } as MessageEntity);
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}
