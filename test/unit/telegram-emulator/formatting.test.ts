// The emulator's own parsers: parse_mode markup to text + entities (Telegram's rules and
// errors), entity detection in users' text, and multipart bodies in grammY's compact form.
import { describe, expect, it } from 'vitest';
import { detectEntities, formatText } from '../../support/telegram-emulator/formatting.ts';
import { parseMultipart } from '../../support/telegram-emulator/multipart.ts';

const parseError = (text: string, mode: string) => {
  try {
    formatText(text, mode);
  } catch (e) {
    return (e as Error).message;
  }
  return null;
};

describe('parse_mode', () => {
  it('HTML: nesting, spoilers, expandable quotes, pre with a language, entities decoded', () => {
    expect(formatText('<i>a <b>b</b></i> <tg-spoiler>s</tg-spoiler> <blockquote expandable>q</blockquote>', 'HTML')).toEqual({
      text: 'a b s q',
      entities: [
        { type: 'italic', offset: 0, length: 3 },
        { type: 'bold', offset: 2, length: 1 },
        { type: 'spoiler', offset: 4, length: 1 },
        { type: 'expandable_blockquote', offset: 6, length: 1 },
      ],
    });
    expect(formatText('<pre><code class="language-ts">const a = 1;</code></pre>', 'HTML')).toEqual({
      text: 'const a = 1;',
      entities: [{ type: 'pre', offset: 0, length: 12, language: 'ts' }],
    });
    expect(formatText('a &lt; b &#65;&#x42; &quot;q&quot;', 'HTML').text).toBe('a < b AB "q"');
  });

  it('HTML: mismatched, unclosed and unsupported tags are refused as Telegram refuses them', () => {
    expect(parseError('<b>x</i>', 'HTML')).toBe(`Bad Request: can't parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`);
    expect(parseError('<b>x', 'HTML')).toBe(`Bad Request: can't parse entities: Can't find end tag corresponding to start tag "b"`);
    expect(parseError('line<br>break', 'HTML')).toBe(`Bad Request: can't parse entities: Unsupported start tag "br" at byte offset 4`);
  });

  it('MarkdownV2: links with escaped parentheses, code, pre, underline, strikethrough, spoiler, quotes', () => {
    expect(formatText('[card](https://ex.com/a\\)b) `co\\`de` __u__ ~s~ ||sp||', 'MarkdownV2')).toEqual({
      text: 'card co`de u s sp',
      entities: [
        { type: 'text_link', offset: 0, length: 4, url: 'https://ex.com/a)b' },
        { type: 'code', offset: 5, length: 5 },
        { type: 'underline', offset: 11, length: 1 },
        { type: 'strikethrough', offset: 13, length: 1 },
        { type: 'spoiler', offset: 15, length: 2 },
      ],
    });
    expect(formatText('>quoted\n>still\nafter', 'MarkdownV2')).toEqual({
      text: 'quoted\nstill\nafter',
      entities: [{ type: 'blockquote', offset: 0, length: 12 }],
    });
  });

  it('MarkdownV2: unescaped reserved characters and unclosed entities are refused', () => {
    expect(parseError('Deal #5 - done!', 'MarkdownV2')).toBe(`Bad Request: can't parse entities: Character '#' is reserved and must be escaped with the preceding '\\'`);
    expect(parseError('*bold', 'MarkdownV2')).toBe(`Bad Request: can't parse entities: Can't find end of Bold entity at byte offset 0`);
  });

  it('legacy Markdown, explicit entities, and the whitespace trim moving offsets', () => {
    expect(formatText('_it_ *b* [l](http://x.y)', 'Markdown').entities).toEqual([
      { type: 'italic', offset: 0, length: 2 },
      { type: 'bold', offset: 3, length: 1 },
      { type: 'text_link', offset: 5, length: 1, url: 'http://x.y' },
    ]);
    expect(formatText('  hi  ', undefined, [{ type: 'bold', offset: 2, length: 2 }])).toEqual({ text: 'hi', entities: [{ type: 'bold', offset: 0, length: 2 }] });
  });
});

describe('entities in what users write', () => {
  it('finds commands, mentions, hashtags, urls and emails, UTF-16 offsets', () => {
    expect(detectEntities('/start@chatcrm_bot hi @petrov #заявка https://ex.com/x?a=1. a@b.ru')).toEqual([
      { type: 'bot_command', offset: 0, length: 18 },
      { type: 'mention', offset: 22, length: 7 },
      { type: 'hashtag', offset: 30, length: 7 },
      { type: 'url', offset: 38, length: 20 },
      { type: 'email', offset: 60, length: 6 },
    ]);
    expect(detectEntities('😀 /help')).toEqual([{ type: 'bot_command', offset: 3, length: 5 }]);
  });
});

describe('multipart', () => {
  it("reads grammY's header style (no spaces, unquoted filename) and the quoted standard form", () => {
    const b = '----------abc';
    const body = Buffer.concat([
      Buffer.from(`--${b}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n42\r\n`),
      Buffer.from(`--${b}\r\ncontent-disposition:form-data;name="x1";filename=my report; final.pdf\r\ncontent-type:application/octet-stream\r\n\r\n`),
      Buffer.from([0, 13, 10, 45, 45, 255]),
      Buffer.from(`\r\n--${b}\r\nContent-Disposition: form-data; name="photo"; filename="a \\"b\\".png"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--${b}--\r\n`),
    ]);
    const { fields, files } = parseMultipart(body, b);
    expect(fields).toEqual({ chat_id: '42' });
    expect(files.get('x1')).toMatchObject({ filename: 'my report; final.pdf', contentType: 'application/octet-stream' });
    expect([...(files.get('x1')?.bytes ?? [])]).toEqual([0, 13, 10, 45, 45, 255]);
    expect(files.get('photo')).toMatchObject({ filename: 'a "b".png', contentType: 'image/png' });
  });
});
