import { type AnyColumn, and, desc, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import type { companies, contacts, deals, leads } from '../../db/schema/index.ts';
import { ApiError, badRequest } from '../../openapi/errors.ts';
import { customFieldFilters } from '../custom-fields/filters.ts';
import type { CustomFieldEntity } from '../custom-fields/values.ts';

type BulkTable = typeof leads | typeof contacts | typeof deals | typeof companies;

/**
 * How each filter of a list's query narrows a bulk selection. Typed over every filter the list has, so a filter the
 * list gains fails the type check here until bulk actions apply it too, instead of being accepted and ignored (which
 * would widen a bulk delete).
 */
export type ListFilterConditions<Query> = {
  [K in Exclude<keyof Query, 'limit' | 'cursor'>]-?: (value: NonNullable<Query[K]>) => SQL | undefined;
};

/** The conditions of the filters given, as the list applies them. */
export function listConditions<Query>(byFilter: ListFilterConditions<Query>, filter: Record<string, unknown>): SQL[] {
  const conditions: SQL[] = [];
  const entries = Object.entries(byFilter) as [string, (value: unknown) => SQL | undefined][];
  for (const [name, condition] of entries) {
    const made = filter[name] === undefined ? undefined : condition(filter[name]);
    if (made) conditions.push(made);
  }
  return conditions;
}

/**
 * The conditions of a filter's `cf.<key>` entries, built by the list's own code from them as query-string values,
 * so they match exactly what the list shows; an unknown key or a bad value is a 400 naming `select.filter.cf.<key>`.
 */
export async function customFieldSelection(
  tx: Tx,
  organizationId: string,
  entity: CustomFieldEntity,
  column: AnyColumn,
  filter: Record<string, unknown>,
): Promise<SQL[]> {
  const raw = Object.fromEntries(
    Object.entries(filter)
      .filter(([name]) => name.startsWith('cf.'))
      .map(([name, value]) => [name, String(value)]),
  );
  try {
    return await customFieldFilters(tx, organizationId, entity, column, raw);
  } catch (error) {
    if (!(error instanceof ApiError) || !error.details) throw error;
    const details = error.details.map((issue) => ({ ...issue, path: `select.filter.${issue.path}` }));
    throw badRequest(error.code, error.message, details);
  }
}

/** Ids of the rows matching every condition, newest first (as the list orders them), at most `limit`. */
export async function matchingIds(tx: Tx, table: BulkTable, conditions: SQL[], limit: number) {
  const rows = await tx
    .select({ id: table.id })
    .from(table as typeof leads)
    .where(and(...conditions))
    .orderBy(desc(table.id))
    .limit(limit);
  return rows.map((row) => row.id);
}
