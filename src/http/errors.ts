// One error shape for the whole API: { error: { code, message, issues? } }. Bad input is a 4xx
// naming the field; a database that is down is a 503 (try again); only a fault of ours is a 500.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { NotConfiguredError } from '../crm/company-config.ts';
import {
  AccessDeniedError,
  ConflictError,
  DuplicateInnError,
  NotFoundError,
  RequirementsNotMetError,
  StaleVersionError,
  TransitionNotAllowedError,
  UnknownStageError,
  ValidationError,
} from '../crm/errors.ts';
import { classifyDatabaseError, errorSummary } from './database-errors.ts';
import type { AppEnv } from './types.ts';

export interface ApiErrorBody {
  error: { code: string; message: string; issues?: { field: string; message: string }[]; [k: string]: unknown };
}

/** Seconds a client waits before trying again while the database is unavailable. */
export const DATABASE_RETRY_AFTER_S = 5;

export function errorResponse(c: Context<AppEnv>, err: unknown): Response {
  const [status, body] = describe(err);
  const log = c.get('logger');
  if (status === 503 && body.error.code === 'database_unavailable') {
    log?.warn({ err: errorSummary(err) }, 'database unavailable');
    c.header('retry-after', String(DATABASE_RETRY_AFTER_S));
  } else if (status >= 500) log?.error({ err: errorSummary(err) }, 'request failed');
  else log?.info({ status, code: body.error.code, reason: body.error.message, ...(body.error.issues ? { fields: body.error.issues.map((i) => i.field) } : {}) }, 'request refused');
  return c.json(body, status);
}

const e = (code: string, message: string, extra: Record<string, unknown> = {}): ApiErrorBody => ({ error: { code, message, ...extra } });

function describe(err: unknown): [ContentfulStatusCode, ApiErrorBody] {
  if (err instanceof ValidationError) return [422, e('validation_failed', 'some fields are invalid', { issues: err.issues })];
  if (err instanceof NotFoundError) return [404, e('not_found', err.message)];
  if (err instanceof AccessDeniedError) return [403, e('forbidden', err.message, err.reason ? { reason: err.reason } : {})];
  if (err instanceof StaleVersionError) return [409, e('version_conflict', err.message, { current_version: err.currentVersion })];
  if (err instanceof UnknownStageError)
    return [422, e('unknown_stage', err.message, err.field ? { issues: [{ field: err.field, message: `no stage ${err.stage} in this pipeline` }] } : {})];
  if (err instanceof TransitionNotAllowedError) return [409, e('transition_not_allowed', err.message, { reason: err.reason })];
  if (err instanceof RequirementsNotMetError) return [422, e('requirements_not_met', err.message, { missing: err.missing })];
  if (err instanceof DuplicateInnError)
    return [409, e('duplicate', err.message, { issues: [{ field: err.field, message: `company ${err.existing.id} «${err.existing.name}» has this INN` }], existing: err.existing })];
  if (err instanceof ConflictError) return [409, e('conflict', err.message)];
  if (err instanceof NotConfiguredError) return [503, e('not_configured', err.message)];
  if (err instanceof HTTPException) return [err.status as ContentfulStatusCode, e(statusCode(err.status), err.message || 'request refused')];
  const db = classifyDatabaseError(err);
  if (db?.kind === 'unavailable') return [503, e('database_unavailable', 'the database is unavailable; try again shortly')];
  if (db?.kind === 'retry') return [409, e('conflict', 'a concurrent change got in the way; try again')];
  if (db?.kind === 'conflict') return [409, e('conflict', 'a record with this value already exists', db.field ? { issues: [{ field: db.field, message: 'is already taken' }] } : {})];
  if (db?.kind === 'invalid') return [422, e('validation_failed', 'some fields are invalid', { issues: [{ field: db.field ?? '(body)', message: db.message }] })];
  return [500, e('internal', 'internal error')];
}

function statusCode(status: number): string {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  if (status === 415) return 'unsupported_media_type';
  return 'bad_request';
}
