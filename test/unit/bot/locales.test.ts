// Bot texts live in the locale files: every key the code uses exists in Russian and English,
// the two files have the same keys, and every text formats without a missing variable.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createI18n, translatorOf } from '../../../bots/telegram/i18n.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const ftlKeys = (lang: string) =>
  new Set(
    readFileSync(join(root, 'bots/telegram/locales', `${lang}.ftl`), 'utf8')
      .split('\n')
      .map((l) => /^([a-z][a-z0-9_-]*) =/.exec(l)?.[1])
      .filter((k): k is string => Boolean(k)),
  );

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Keys written literally in calls: t(lang, 'key'), ctx.t('key'). */
function usedKeys(): Set<string> {
  const out = new Set<string>();
  for (const file of [...sources('bots/telegram'), ...sources('flows'), ...sources('src/sales')]) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const m of text.matchAll(/\bt\((?:lang|q\.lang|'ru'|'en'), '([a-z0-9-]+)'|ctx\.t\('([a-z0-9-]+)'/g)) out.add((m[1] ?? m[2])!);
  }
  return out;
}

describe('bot locales', () => {
  const ru = ftlKeys('ru');
  const en = ftlKeys('en');

  it('Russian and English have the same keys', () => {
    expect([...ru].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !ru.has(k))).toEqual([]);
    expect(ru.size).toBeGreaterThan(150);
  });

  it('every key the code uses exists', () => {
    const used = usedKeys();
    expect(used.size).toBeGreaterThan(100);
    expect([...used].filter((k) => !ru.has(k))).toEqual([]);
  });

  it('texts format in both languages, with their variables filled', () => {
    const t = translatorOf(createI18n());
    const vars = { number: 12, name: 'Анна', stage: 'Новая', count: 2, title: 'Т', status: 'S', label: 'L', channel: 'WhatsApp', what: 'w', fields: 'f', message: 'm', q: 'q', from: 'a', to: 'b', amount: '1 ₽', pipeline: 'P', at: 1, of: 2, source: 's', text: 't', phone: '+7', email: 'e', position: 'p', tags: 't', names: 'n', lead: 1, deal: 2, company: 3, contact: 4, day: '01.01.2027', when: 'w', field: 'f', event: 'e', roles: 'r', lang: 'ru', summary: 's', code: 'c', until: 'u', created: 'c', revoked: 'r', tokens: 1, sessions: 1, invites: 0, issues: 'i', matched: 'm', max: 500, today: 't' };
    for (const key of ru) {
      for (const lang of ['ru', 'en'] as const) {
        const s = t(lang, key, vars);
        expect(s, `${lang}:${key}`).not.toMatch(/\{\s*\$|\{\$/);
        expect(s.length, `${lang}:${key}`).toBeGreaterThan(0);
      }
    }
    expect(t('en', 'intake-done', { number: 7 })).toBe('Thank you! Request No. 7 is accepted. A manager will contact you right here.');
  });
});
