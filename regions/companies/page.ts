import { encodeCursor } from '../support/cursor.ts';

/**
 * One keyset page from rows fetched newest first with `limit + 1`: the extra row only says whether another page
 * follows, and the cursor is the last id shown, so rows inserted meanwhile never shift what comes next.
 */
export function pageOf<Row extends { id: string }, View>(rows: Row[], limit: number, view: (row: Row) => View) {
  const page = rows.slice(0, limit);
  const more = rows.length > limit;
  return { data: page.map(view), nextCursor: more ? encodeCursor(page[page.length - 1]!.id) : null };
}

/** A LIKE pattern matching exactly `value` (with ILIKE: in any case), its %, _ and \ taken literally. */
export const likeLiteral = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern matching values that start with `prefix`. */
export const startsWith = (prefix: string) => `${likeLiteral(prefix)}%`;
