import type { z } from 'zod';
import { ValidationError } from './errors.ts';
import { nestedTextIssues } from './record-input.ts';

const fieldOf = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(input)';

/**
 * Parses service input with zod and turns its issues into a ValidationError. What the schema
 * lets through is checked once more for text Postgres cannot store, so a schema that forgot
 * the refinement still answers a 422 naming the field rather than failing in the database.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new ValidationError(
      result.error.issues.map((i) => ({ field: fieldOf(i.path), message: i.message })),
      { cause: result.error },
    );
  }
  const unstorable = nestedTextIssues(result.data, { unsafeKeys: false });
  if (unstorable.length) throw new ValidationError(unstorable.map((i) => ({ field: fieldOf(i.path), message: i.message })));
  return result.data;
}
