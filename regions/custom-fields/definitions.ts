import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import type { CustomFieldValues } from '../../db/schema/crm.ts';
import { customFieldDefinitions } from '../../db/schema/index.ts';
import { type CustomFieldEntity, type FieldDefinition, validateCustomFields } from './values.ts';

/** The organization's definitions for one entity, read in the caller's transaction so a write sees a consistent set. */
export async function definitionsFor(
  tx: Tx,
  organizationId: string,
  entity: CustomFieldEntity,
): Promise<FieldDefinition[]> {
  return tx
    .select()
    .from(customFieldDefinitions)
    .where(and(eq(customFieldDefinitions.organizationId, organizationId), eq(customFieldDefinitions.entity, entity)))
    .orderBy(asc(customFieldDefinitions.position), asc(customFieldDefinitions.key));
}

/** The values a create stores: validated against the definitions (required ones enforced). */
export async function customFieldsForCreate(
  tx: Tx,
  organizationId: string,
  entity: CustomFieldEntity,
  values: Record<string, unknown> | undefined,
): Promise<CustomFieldValues> {
  return validateCustomFields(await definitionsFor(tx, organizationId, entity), entity, values, { partial: false });
}

/** The values a PATCH stores (merged into the current ones), or undefined when it does not touch them. */
export async function customFieldsForPatch(
  tx: Tx,
  organizationId: string,
  entity: CustomFieldEntity,
  values: Record<string, unknown> | undefined,
  current: CustomFieldValues,
): Promise<CustomFieldValues | undefined> {
  if (values === undefined) return undefined;
  const definitions = await definitionsFor(tx, organizationId, entity);
  return validateCustomFields(definitions, entity, values, { partial: true, current });
}
