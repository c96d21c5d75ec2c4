import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffInvites } from '../../../db/schema/index.ts';
import { systemActor } from '../../../src/crm/actor.ts';
import { createStaffInvite, InvalidInviteError, redeemTelegramInvite } from '../../../src/crm/invites.ts';
import { makeUser } from '../../support/crm-fixtures.ts';
import { createTestPostgres, type TestDb } from '../../support/test-db.ts';

describe('staff invite codes', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await createTestPostgres('invites');
  });
  afterAll(async () => t?.drop());

  it('are stored only as a hash: the table holds nothing that links an account', async () => {
    const { user } = await makeUser(t.db, ['manager']);
    const { code } = await createStaffInvite(t.db, systemActor, user.id);
    const dump = JSON.stringify(await t.db.select().from(staffInvites));
    expect(dump).not.toContain(code);
    const [{ n }] = (await t.db.execute(sql`select count(*)::int as n from staff_invites where code_hash = encode(sha256(convert_to(${code}, 'UTF8')), 'hex')`)) as unknown as [{ n: number }];
    expect(n).toBe(1);
    const linked = await redeemTelegramInvite(t.db, code, 555_001);
    expect(linked.id).toBe(user.id);
    expect(linked.telegramUserId).toBe(555_001);
    await expect(redeemTelegramInvite(t.db, code, 555_002)).rejects.toBeInstanceOf(InvalidInviteError);
  });
});
