// Pieces every resource router declares the same way.
import type { z } from '@hono/zod-openapi';
import { errorSchema } from '../dto.ts';

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });

export const jsonBody = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } }, required: true });

/** The error answers of a resource router, worded for the resource. */
export function errorResponses(entity: string, conflict = 'changed meanwhile or not allowed now') {
  return {
    401: jsonContent(errorSchema, 'no or bad token'),
    403: jsonContent(errorSchema, `not your ${entity}`),
    404: jsonContent(errorSchema, `no such ${entity}`),
    409: jsonContent(errorSchema, conflict),
    422: jsonContent(errorSchema, 'invalid input'),
  };
}
