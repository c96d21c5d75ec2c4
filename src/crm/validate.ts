import type { z } from 'zod';
import { ValidationError } from './errors.ts';

/** Parses service input with zod and turns its issues into a ValidationError. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(
    result.error.issues.map((i) => ({ field: i.path.join('.') || '(input)', message: i.message })),
    { cause: result.error },
  );
}
