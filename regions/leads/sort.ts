import { asc, desc, gt, lt, type SQL, sql } from 'drizzle-orm';
import { leads } from '../../db/schema/index.ts';
import { decodeJson, encodeJson } from '../../edge/protocol/encoding.ts';
import { badRequest } from '../../openapi/errors.ts';
import type { LeadSort, LeadSortKey } from '../../openapi/schemas/leads.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';

type Key = string | number | null;

/**
 * What each sort orders by. The expressions are exactly those of the leads_org_* indexes (migration
 * 0024_lead_sort_indexes), so a page is read from an index at any depth. Creation order is the UUIDv7 id itself.
 */
const orderings: Record<Exclude<LeadSortKey, 'createdAt'>, { expression: SQL; cast: SQL }> = {
  score: { expression: sql`${leads.score}`, cast: sql`integer` },
  status: { expression: sql`${leads.status}`, cast: sql`text` },
  company: { expression: sql`lower(coalesce(${leads.company}, ''))`, cast: sql`text` },
  name: { expression: sql`lower(${leads.firstName} || ' ' || ${leads.lastName})`, cast: sql`text` },
};

/**
 * The sort key as the database computes it, selected beside each row: a cursor must carry the database's own
 * value (JavaScript's lower-casing is not PostgreSQL's in every locale), or rows near a page break would be skipped.
 */
export function sortKeyOf(sort: LeadSort | undefined): SQL<Key> {
  const { key } = parseSort(sort);
  return key === 'createdAt' ? sql<Key>`null` : (orderings[key].expression as SQL<Key>);
}

export function parseSort(sort: LeadSort | undefined): { key: LeadSortKey; descending: boolean; name: LeadSort } {
  const name = sort ?? '-createdAt';
  const descending = name.startsWith('-');
  return { key: (descending ? name.slice(1) : name) as LeadSortKey, descending, name };
}

const refused = () =>
  badRequest('invalid_cursor', 'The cursor is not one this API returned for this sort order', [
    { path: 'cursor', message: 'Use nextCursor from a previous page of the same sort' },
  ]);

/** The ORDER BY of a sort, ties broken by id in the same direction so every row has one place. */
export function orderOf(sort: LeadSort | undefined): SQL[] {
  const { key, descending } = parseSort(sort);
  const direction = descending ? desc : asc;
  if (key === 'createdAt') return [direction(leads.id)];
  return [direction(orderings[key].expression), direction(leads.id)];
}

/**
 * Where the page after a cursor starts: rows after (key, id) in the sort's order. Newest first keeps the original
 * cursor format (the last id), so cursors handed out before sorting existed still work; every other sort's cursor
 * names its sort, and using it with another is a 400.
 */
export function afterCursor(sort: LeadSort | undefined, cursor: string): SQL {
  const { key, descending, name } = parseSort(sort);
  const compare = descending ? sql`<` : sql`>`;
  if (name === '-createdAt') return lt(leads.id, decodeCursor(cursor));
  let value: { v?: unknown; s?: unknown; k?: unknown; id?: unknown };
  try {
    value = decodeJson(cursor);
  } catch {
    throw refused();
  }
  if (value.v !== 2 || value.s !== name || typeof value.id !== 'string') throw refused();
  const id = decodeCursor(encodeCursor(value.id));
  if (key === 'createdAt') return (descending ? lt : gt)(leads.id, id);
  const ordering = orderings[key];
  const keyValid = key === 'score' ? Number.isInteger(value.k) : typeof value.k === 'string';
  if (!keyValid) throw refused();
  return sql`(${ordering.expression}, ${leads.id}) ${compare} (${value.k}::${ordering.cast}, ${id}::uuid)`;
}

/** The cursor after the last row of a page, given that row's id and sort key (from sortKeyOf). */
export function cursorAfter(sort: LeadSort | undefined, id: string, key: Key): string {
  const { name } = parseSort(sort);
  if (name === '-createdAt') return encodeCursor(id);
  return encodeJson({ v: 2, s: name, k: key, id });
}
