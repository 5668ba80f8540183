import type { SQL } from 'drizzle-orm';

type Queryable = { execute(query: SQL): Promise<unknown> };

/** Rows of a raw query, whichever driver ran it (PGlite, pg and Neon answer `{ rows }`; some drizzle drivers an array). */
export async function rowsOf<T>(db: Queryable, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
