// What a clone of the repository must hold for its own documents to be true: the licence
// package.json names, and every file the README and the architecture notes point at.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (f: string) => readFileSync(resolve(root, f), 'utf8');

/** Relative paths a document refers to: markdown links, and `code` spans that look like repository paths. */
function pathsReferredTo(doc: string): string[] {
  const links = [...doc.matchAll(/\]\(([^)#\s]+)[^)]*\)/g)].map((m) => m[1]!).filter((p) => !/^[a-z]+:/i.test(p));
  const spans = [...doc.matchAll(/`(\.{0,2}\/?[\w.-]+(?:\/[\w.-]+)*\.(?:md|ts|yaml|json|sql))`/g)].map((m) => m[1]!).filter((p) => !p.includes('<'));
  // A leading slash is a URL path of the HTTP API, not a file.
  return [...new Set([...links, ...spans])].filter((p) => !p.startsWith('/'));
}

describe('repository documents', () => {
  it('has the licence package.json names', () => {
    const license = (JSON.parse(read('package.json')) as { license: string }).license;
    expect(existsSync(resolve(root, 'LICENSE'))).toBe(true);
    expect(read('LICENSE')).toContain(`${license} License`);
  });

  for (const doc of ['README.md', 'ARCHITECTURE.md']) {
    it(`${doc} points only at files inside the repository that exist`, () => {
      const text = read(doc);
      const paths = pathsReferredTo(text);
      expect(paths.length).toBeGreaterThan(0);
      const outside = paths.filter((p) => !resolve(root, p).startsWith(root + sep));
      expect(outside).toEqual([]);
      const missing = paths.filter((p) => p.includes('/') && !existsSync(resolve(root, p)));
      expect(missing).toEqual([]);
    });
  }
});

describe('configuration documents', () => {
  it('every variable chatcrm reads is in the README configuration table and in .env.example', async () => {
    const { configSchema } = await import('../../../src/config.ts');
    const shape = (configSchema as unknown as { _zod: { def: { in?: { shape: Record<string, unknown> }; shape?: Record<string, unknown> } } })._zod.def;
    const variables = Object.keys(shape.in?.shape ?? shape.shape ?? {});
    expect(variables.length).toBeGreaterThan(20);
    const readme = read('README.md');
    const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Exposure'));
    const example = read('.env.example');
    expect(variables.filter((v) => !table.includes(`\`${v}\``))).toEqual([]);
    expect(variables.filter((v) => !new RegExp(`^#? ?${v}=`, 'm').test(example))).toEqual([]);
  });
});
