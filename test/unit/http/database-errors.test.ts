// How database failures are told apart: down (503), bad input that reached Postgres (422/409),
// or a fault of ours (none of these); and what is logged of them.
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../../../db/client.ts';
import { classifyDatabaseError, errorSummary } from '../../../src/http/database-errors.ts';

const pgError = (fields: Record<string, string>) => Object.assign(new Error('db said no'), fields);
const wrapped = (cause: unknown) => new DrizzleQueryError('insert into "contacts" ("first_name") values ($1)', ['Иван +79161234567'], cause as Error);

describe('classifyDatabaseError', () => {
  it('a database that is down or going away: postgres.js connection errors, socket errors, shutdown SQLSTATEs, the embedded one closed', () => {
    for (const code of ['CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', '57P01', '57P02', '57P03', '53300', '08006'])
      expect(classifyDatabaseError(wrapped(pgError({ code }))), code).toEqual({ kind: 'unavailable' });
    expect(classifyDatabaseError(new AggregateError([pgError({ code: 'ECONNREFUSED' })], 'connect failed'))).toEqual({ kind: 'unavailable' });
    expect(classifyDatabaseError(new DatabaseUnavailableError('embedded database is closed'))).toEqual({ kind: 'unavailable' });
  });

  it('bad input that reached Postgres names the column as the API spells it', () => {
    expect(classifyDatabaseError(wrapped(pgError({ code: '23503', detail: 'Key (contact_id)=(7) is not present in table "contacts".' })))).toEqual({
      kind: 'invalid',
      field: 'contactId',
      message: 'refers to a record that does not exist',
    });
    expect(classifyDatabaseError(pgError({ code: '23505', detail: 'Key (source, external_key)=(site, x) already exists.' }))).toEqual({ kind: 'conflict', field: 'source' });
    expect(classifyDatabaseError(pgError({ code: '22008' }))).toMatchObject({ kind: 'invalid', field: null });
    expect(classifyDatabaseError(pgError({ code: '22021' }))).toMatchObject({ kind: 'invalid' });
    expect(classifyDatabaseError(pgError({ code: '40P01' }))).toEqual({ kind: 'retry' });
  });

  it('anything else is not a database answer: left for a 500', () => {
    expect(classifyDatabaseError(new TypeError('x is undefined'))).toBeNull();
    expect(classifyDatabaseError(pgError({ code: '42P01' }))).toBeNull();
    expect(classifyDatabaseError(undefined)).toBeNull();
  });

  it('the log summary keeps codes and the query shape, never the parameters', () => {
    const summary = errorSummary(wrapped(pgError({ code: '22021' })));
    expect(summary).toMatchObject({ code: '22021', message: 'db said no', params: 1 });
    expect(JSON.stringify(summary)).not.toContain('79161234567');
    expect(JSON.stringify(summary)).not.toContain('Иван');
  });
});
