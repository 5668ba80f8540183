import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { customFieldDefinitions } from '../../db/schema/index.ts';
import type { ImportEntity } from '../../openapi/schemas/imports.ts';
import type { FieldDefinition } from '../custom-fields/values.ts';

/** A custom field as an import sees it: its definition, and the label a CSV header may repeat. */
export type ImportCustomField = FieldDefinition & { label: string };

/** A mapping target naming a custom field: `cf.<key>`, beside the built-in fields. */
export const CUSTOM_FIELD_PREFIX = 'cf.';
export const customFieldTarget = (key: string) => `${CUSTOM_FIELD_PREFIX}${key}`;
export const customFieldKeyOf = (target: string): string | null =>
  target.startsWith(CUSTOM_FIELD_PREFIX) ? target.slice(CUSTOM_FIELD_PREFIX.length) : null;

const columns = {
  entity: customFieldDefinitions.entity,
  key: customFieldDefinitions.key,
  label: customFieldDefinitions.label,
  type: customFieldDefinitions.type,
  options: customFieldDefinitions.options,
  required: customFieldDefinitions.required,
};

/** The organization's custom fields of one entity, in their display order, read in the caller's transaction. */
export async function importCustomFields(
  tx: Tx,
  organizationId: string,
  entity: ImportEntity,
): Promise<ImportCustomField[]> {
  return tx
    .select(columns)
    .from(customFieldDefinitions)
    .where(and(eq(customFieldDefinitions.organizationId, organizationId), eq(customFieldDefinitions.entity, entity)))
    .orderBy(asc(customFieldDefinitions.position), asc(customFieldDefinitions.key));
}

/** The custom field keys of every importable entity at once (a page of imports mixes entities). */
export async function customFieldKeysByEntity(tx: Tx, organizationId: string) {
  const rows = await tx
    .select({ entity: customFieldDefinitions.entity, key: customFieldDefinitions.key })
    .from(customFieldDefinitions)
    .where(eq(customFieldDefinitions.organizationId, organizationId))
    .orderBy(asc(customFieldDefinitions.position), asc(customFieldDefinitions.key));
  const keys: Record<ImportEntity, string[]> = { lead: [], contact: [], company: [] };
  for (const row of rows) if (row.entity !== 'deal') keys[row.entity].push(row.key);
  return keys;
}

/** The custom field keys of one entity, for the `fields` an import lists. */
export async function customFieldKeys(tx: Tx, organizationId: string, entity: ImportEntity) {
  return (await importCustomFields(tx, organizationId, entity)).map((field) => field.key);
}
