import { desc } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { companyConfigVersions } from '../../db/schema/index.ts';
import { type Preset, presetSchema } from '../presets/preset-schema.ts';

export class NotConfiguredError extends Error {
  override name = 'NotConfiguredError';
  constructor(options?: { cause?: unknown }) {
    super('the company is not configured yet: run `chatcrm seed <preset>` or set COMPANY_PRESET', options);
  }
}

/** The company configuration in force: the newest applied version. */
export async function findCompanyConfig(db: Db): Promise<{ version: number; config: Preset } | null> {
  const [row] = await db.select().from(companyConfigVersions).orderBy(desc(companyConfigVersions.version)).limit(1);
  if (!row) return null;
  return { version: row.version, config: presetSchema.parse(row.document) };
}

export async function getCompanyConfig(db: Db): Promise<Preset> {
  const found = await findCompanyConfig(db);
  if (!found) throw new NotConfiguredError();
  return found.config;
}
