// Creates an embedded database (initdb, then the migrations) in a process of its own, started
// by pglite-data-dir.ts. initdb takes about 800 MB of WebAssembly memory, which a process never
// gives back while it lives; this one ends, and the app then opens the folder with its own
// small footprint. Plain JavaScript: it runs in a bare node, without the TypeScript loader.
// argv: <folder> <migrations folder> <PGlite options as JSON>.
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

// The process that asked for the folder is gone: nobody will use what this makes.
const orphaned = () => process.exit(2);
process.on('disconnect', orphaned);

const [folder, migrationsFolder, options] = process.argv.slice(2);
try {
  const pg = await PGlite.create(folder, JSON.parse(options ?? '{}'));
  await migrate(drizzle({ client: pg }), { migrationsFolder });
  await pg.close();
} catch (err) {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
process.off('disconnect', orphaned);
process.disconnect?.();
