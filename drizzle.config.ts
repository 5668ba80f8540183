import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes shard migrations; DRIZZLE_TARGET=directory writes the directory's.
const directory = process.env.DRIZZLE_TARGET === 'directory';

export default defineConfig({
  dialect: 'postgresql',
  schema: directory ? './db/directory/schema.ts' : './db/schema/index.ts',
  out: directory ? './db/directory-migrations' : './db/migrations',
});
