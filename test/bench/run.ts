// `npm run bench -- <name>` runs test/bench/<name>.bench.ts; each bench prints its figures
// for people and ends with one JSON line of the same figures.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
if (names.length === 0) {
  console.error(`usage: npm run bench -- <name>   (available: ${available.join(', ') || 'none'})`);
  process.exit(2);
}
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`unknown bench "${name}" (available: ${available.join(', ')})`);
    process.exit(2);
  }
  await import(pathToFileURL(join(here, `${name}.bench.ts`)).href);
}
