import { defineConfig } from 'drizzle-kit';

// drizzle-kit only reads the schema and writes SQL here; migrations are applied by
// src/migrate.ts with the owner role (DATABASE_ADMIN_URL), never by the app role.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema/index.ts',
  out: './migrations',
  casing: 'snake_case',
});
