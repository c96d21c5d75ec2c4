import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { preparedFor } from '../../db/prepared.ts';
import { companyConfigVersions } from '../../db/schema/index.ts';
import { type Preset, presetSchema } from '../presets/preset-schema.ts';

export class NotConfiguredError extends Error {
  override name = 'NotConfiguredError';
  constructor(options?: { cause?: unknown }) {
    super('the company is not configured yet: run `chatcrm seed <preset>` or set COMPANY_PRESET', options);
  }
}

// The parsed document per database and version. Which version is newest is asked again when
// the last answer is older than FRESH_MS (a configuration applied by another process counts
// within that time; one applied by this process, at once); the document is parsed again only
// when the version changed. Every update reads the configuration, so this saves a round trip
// per update.
const FRESH_MS = 1000;
const parsed = new WeakMap<Db, { version: number; config: Preset | null; checkedAt: number; generation: number }>();
/** Bumped by forgetCompanyConfig: everything cached before is stale. */
let generation = 0;

const newestVersion = preparedFor((db) =>
  db.select({ version: companyConfigVersions.version }).from(companyConfigVersions).orderBy(desc(companyConfigVersions.version)).limit(1).prepare('company_config_newest'),
);

/** The company configuration in force: the newest applied version. */
export async function findCompanyConfig(db: Db, now = Date.now()): Promise<{ version: number; config: Preset } | null> {
  const cached = parsed.get(db);
  if (cached && cached.generation === generation && now - cached.checkedAt < FRESH_MS) return answer(cached);
  const seenGeneration = generation;
  const [newest] = await newestVersion(db).execute();
  const version = newest?.version ?? 0;
  if (cached?.version === version) {
    cached.checkedAt = now;
    cached.generation = seenGeneration;
    return answer(cached);
  }
  const [row] = version ? await db.select().from(companyConfigVersions).where(eq(companyConfigVersions.version, version)) : [];
  const found = { version: row ? version : 0, config: row ? presetSchema.parse(row.document) : null, checkedAt: now, generation: seenGeneration };
  parsed.set(db, found);
  return answer(found);
}

const answer = (c: { version: number; config: Preset | null }) => (c.config ? { version: c.version, config: c.config } : null);

/** A configuration was applied here: the next read asks the database. */
export function forgetCompanyConfig(): void {
  generation += 1;
}

export async function getCompanyConfig(db: Db): Promise<Preset> {
  const found = await findCompanyConfig(db);
  if (!found) throw new NotConfiguredError();
  return found.config;
}

/** The newest applied version with where it came from and when, as `config export` writes it. */
export async function findAppliedConfiguration(db: Db): Promise<{ version: number; config: Preset; source: string | null; appliedAt: Date } | null> {
  const [row] = await db.select().from(companyConfigVersions).orderBy(desc(companyConfigVersions.version)).limit(1);
  return row ? { version: row.version, config: presetSchema.parse(row.document), source: row.source, appliedAt: row.appliedAt } : null;
}
