// A database migrated and configured with a preset, shared by the suites of a test file;
// each test makes its own users and records, so tests do not see each other's rows.
import { afterAll, beforeAll } from 'vitest';
import type { DbKind } from '../../../db/client.ts';
import type { PresetName } from '../../../src/config.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { applyPreset } from '../../../src/presets/apply-preset.ts';
import { loadPreset } from '../../../src/presets/load-preset.ts';
import { createTestDb, type TestDb } from '../../support/test-db.ts';

export type PresetDb = () => TestDb;

/** Call at a file's or describe's top: the hooks create the database before its tests and drop it after. */
export function usePresetDb(kind: DbKind, preset: PresetName): PresetDb {
  let t: TestDb | undefined;
  beforeAll(async () => {
    t = await createTestDb(kind, `crm_${preset}`);
    await applyPreset(t.db, await loadPreset(preset), systemActor);
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
  });
  return () => {
    if (!t) throw new Error('the test database is not ready');
    return t;
  };
}

let seq = 0;
/** A word no other test uses, so searches and lists in a shared database see only their own rows. */
export const uniqueWord = (prefix: string) => `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`;
