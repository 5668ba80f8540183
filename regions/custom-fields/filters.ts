import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { badRequest, type FieldIssue } from '../../openapi/errors.ts';
import { definitionsFor } from './definitions.ts';
import { type CustomFieldEntity, type FieldDefinition, isCalendarDate } from './values.ts';

const PREFIX = 'cf.';

/** The `cf.<key>` parameters of a raw query string; the list schemas do not know them, so they are read here. */
export function customFieldParams(raw: Record<string, string>): [string, string][] {
  return Object.entries(raw)
    .filter(([name]) => name.startsWith(PREFIX))
    .map(([name, value]) => [name.slice(PREFIX.length), value]);
}

/** A filter value parsed by its definition's type, or the reason it cannot match. */
export function parseFilterValue(definition: FieldDefinition, value: string): { value: unknown } | { message: string } {
  switch (definition.type) {
    case 'number': {
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n) ? { value: n } : { message: 'Expected a number' };
    }
    case 'boolean':
      return value === 'true' || value === 'false'
        ? { value: value === 'true' }
        : { message: 'Expected true or false' };
    case 'date':
      return isCalendarDate(value) ? { value } : { message: 'Expected a date as YYYY-MM-DD' };
    // Containment of a one-element array: "carries this option among others".
    case 'multi_select':
      return { value: [value] };
    default:
      return { value };
  }
}

/** The jsonb containment conditions for the query's `cf.<key>` filters; unknown keys and bad values are a 400. */
export function customFieldConditions(
  definitions: readonly FieldDefinition[],
  column: AnyColumn,
  raw: Record<string, string>,
): SQL[] {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const issues: FieldIssue[] = [];
  const conditions: SQL[] = [];
  for (const [key, value] of customFieldParams(raw)) {
    const definition = byKey.get(key);
    if (!definition) {
      issues.push({ path: `${PREFIX}${key}`, message: 'Unknown custom field' });
      continue;
    }
    const parsed = parseFilterValue(definition, value);
    if ('message' in parsed) issues.push({ path: `${PREFIX}${key}`, message: parsed.message });
    else conditions.push(sql`${column} @> ${JSON.stringify({ [key]: parsed.value })}::jsonb`);
  }
  if (issues.length > 0) throw badRequest('validation_failed', 'The custom field filters are invalid', issues);
  return conditions;
}

/** Reads the entity's definitions (only when the query filters on custom fields) and builds the conditions. */
export async function customFieldFilters(
  tx: Tx,
  organizationId: string,
  entity: CustomFieldEntity,
  column: AnyColumn,
  raw: Record<string, string> | undefined,
): Promise<SQL[]> {
  if (!raw || customFieldParams(raw).length === 0) return [];
  return customFieldConditions(await definitionsFor(tx, organizationId, entity), column, raw);
}
