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

// The parsed document per database and version: the newest version is read every time (one
// small query, so a configuration applied by another process counts at once), the document is
// parsed again only when it changed.
const parsed = new WeakMap<Db, { version: number; config: Preset }>();

const newestVersion = preparedFor((db) =>
  db.select({ version: companyConfigVersions.version }).from(companyConfigVersions).orderBy(desc(companyConfigVersions.version)).limit(1).prepare('company_config_newest'),
);

/** The company configuration in force: the newest applied version. */
export async function findCompanyConfig(db: Db): Promise<{ version: number; config: Preset } | null> {
  const [newest] = await newestVersion(db).execute();
  if (!newest) return null;
  const cached = parsed.get(db);
  if (cached?.version === newest.version) return cached;
  const [row] = await db.select().from(companyConfigVersions).where(eq(companyConfigVersions.version, newest.version));
  if (!row) return null;
  const found = { version: row.version, config: presetSchema.parse(row.document) };
  parsed.set(db, found);
  return found;
}

export async function getCompanyConfig(db: Db): Promise<Preset> {
  const found = await findCompanyConfig(db);
  if (!found) throw new NotConfiguredError();
  return found.config;
}
