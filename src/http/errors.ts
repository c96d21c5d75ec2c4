// One error shape for the whole API: { error: { code, message, issues? } }.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { NotConfiguredError } from '../crm/company-config.ts';
import {
  AccessDeniedError,
  ConflictError,
  NotFoundError,
  RequirementsNotMetError,
  StaleVersionError,
  TransitionNotAllowedError,
  UnknownStageError,
  ValidationError,
} from '../crm/errors.ts';
import type { AppEnv } from './types.ts';

export interface ApiErrorBody {
  error: { code: string; message: string; issues?: { field: string; message: string }[]; [k: string]: unknown };
}

export function errorResponse(c: Context<AppEnv>, err: unknown): Response {
  const [status, body] = describe(err);
  if (status >= 500) c.get('logger')?.error({ err }, 'request failed');
  else c.get('logger')?.info({ status, code: body.error.code, reason: body.error.message }, 'request refused');
  return c.json(body, status);
}

function describe(err: unknown): [ContentfulStatusCode, ApiErrorBody] {
  const e = (code: string, message: string, extra: Record<string, unknown> = {}): ApiErrorBody => ({ error: { code, message, ...extra } });
  if (err instanceof ValidationError) return [422, e('validation_failed', 'some fields are invalid', { issues: err.issues })];
  if (err instanceof NotFoundError) return [404, e('not_found', err.message)];
  if (err instanceof AccessDeniedError) return [403, e('forbidden', err.message)];
  if (err instanceof StaleVersionError)
    return [409, e('version_conflict', err.message, { current_version: err.currentVersion })];
  if (err instanceof UnknownStageError) return [422, e('unknown_stage', err.message)];
  if (err instanceof TransitionNotAllowedError) return [409, e('transition_not_allowed', err.message, { reason: err.reason })];
  if (err instanceof RequirementsNotMetError)
    return [422, e('requirements_not_met', err.message, { missing: err.missing })];
  if (err instanceof ConflictError) return [409, e('conflict', err.message)];
  if (err instanceof NotConfiguredError) return [503, e('not_configured', err.message)];
  if (err instanceof HTTPException) return [err.status as ContentfulStatusCode, e(statusCode(err.status), err.message || 'request refused')];
  return [500, e('internal', 'internal error')];
}

function statusCode(status: number): string {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 413) return 'payload_too_large';
  return 'bad_request';
}
