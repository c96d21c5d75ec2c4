import type { Hook } from '@hono/zod-openapi';
import { ValidationError } from '../../crm/errors.ts';
import type { AppEnv } from '../types.ts';

/** Request validation failures become the API's one error shape (422 with issues). */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.map((i) => ({ field: i.path.join('.') || '(body)', message: i.message })),
      { cause: result.error },
    );
  }
};
