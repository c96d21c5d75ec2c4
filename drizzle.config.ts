import { defineConfig } from 'drizzle-kit';

// Only used to generate migrations (`npm run db:generate`); no database connection needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './migrations',
  casing: 'snake_case',
});
