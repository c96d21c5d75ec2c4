// The configuration in force, as every update reads it: applied in this process, it counts at
// once; applied by another process (another handle on the same database), within a second.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type DbHandle } from '../../../db/client.ts';
import { companyConfigVersions } from '../../../db/schema/index.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { findCompanyConfig } from '../../../src/crm/company-config.ts';
import { applyPreset } from '../../../src/presets/apply-preset.ts';
import { loadPreset } from '../../../src/presets/load-preset.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';

describe('company configuration in force', () => {
  let t: TestDb;
  let other: DbHandle;
  beforeAll(async () => {
    t = await createTestPostgres('company_config');
    other = await createDb({ DATABASE_URL: t.url, DATA_DIR: '' });
  }, 60_000);
  afterAll(async () => {
    await other?.close();
    await t?.drop();
  });

  it('none before a preset is applied; one applied here counts at once', async () => {
    expect(await findCompanyConfig(t.db)).toBeNull();
    const applied = await applyPreset(t.db, await loadPreset('b2b-supply'), systemActor);
    const found = await findCompanyConfig(t.db);
    expect(found?.version).toBe(applied.version);
    expect(found?.config.name).toBe('b2b-supply');
  });

  it('one applied by another process counts within a second, not before the last answer is that old', async () => {
    // A clock of the test's own, far from the last answer: this read asks the database.
    const now = Date.now() + 60_000;
    const before = await findCompanyConfig(t.db, now);
    const preset = await loadPreset('freight');
    // Another process: its own handle, and the version row written as applyPreset writes it.
    await other.db.insert(companyConfigVersions).values({ version: before!.version + 1, preset: preset.name, document: preset as never });
    expect((await findCompanyConfig(t.db, now + 500))?.version).toBe(before!.version);
    const later = await findCompanyConfig(t.db, now + 1001);
    expect(later?.version).toBe(before!.version + 1);
    expect(later?.config.name).toBe('freight');
  });
});
