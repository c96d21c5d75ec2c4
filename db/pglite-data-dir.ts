// The embedded database's folder. A new one is made by a child process (pglite-create.child.mjs)
// in a hidden folder inside DATA_DIR and moved into place only once initdb and the migrations
// are done, PG_VERSION last: a first start that is killed half-way leaves no half database.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Settings every PGlite of this app is started with (see db/client.ts). */
export interface PgliteStartOptions {
  startParams: string[];
}

export class PgliteCreateError extends Error {
  override name = 'PgliteCreateError';
}

const childScript = fileURLToPath(new URL('./pglite-create.child.mjs', import.meta.url));
const CREATING = '.chatcrm-creating';
// Postgres looks for this file to tell a data folder; PGlite runs initdb when it is missing.
const MARKER = 'PG_VERSION';

export function hasPgliteDatabase(dataDir: string): boolean {
  return existsSync(join(dataDir, MARKER));
}

/** Makes a database in `dataDir` (which exists and holds none yet), migrated. */
export async function createPgliteDatabase(dataDir: string, migrationsFolder: string, options: PgliteStartOptions): Promise<void> {
  const staging = join(dataDir, CREATING);
  rmSync(staging, { recursive: true, force: true });
  await runChild(staging, migrationsFolder, options);
  const entries = readdirSync(staging).filter((name) => name !== MARKER);
  // Leftovers of a move cut short: without PG_VERSION they were never a database.
  for (const name of [...entries, MARKER]) rmSync(join(dataDir, name), { recursive: true, force: true });
  for (const name of [...entries, MARKER]) renameSync(join(staging, name), join(dataDir, name));
  rmSync(staging, { recursive: true, force: true });
}

function runChild(folder: string, migrationsFolder: string, options: PgliteStartOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, folder, migrationsFolder, JSON.stringify(options)], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    child.once('error', (cause) => reject(new PgliteCreateError(`could not start the process that creates the embedded database`, { cause })));
    child.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new PgliteCreateError(`creating the embedded database failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(0, 3).join(' | ')}`));
    });
  });
}
