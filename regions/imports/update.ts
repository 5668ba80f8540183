import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { imports } from '../../db/schema/index.ts';
import { badRequest, conflict, type FieldIssue } from '../../openapi/errors.ts';
import type { ImportEntity, ImportPatch } from '../../openapi/schemas/imports.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { findImport } from './access.ts';
import { CUSTOM_FIELD_PREFIX, customFieldKeyOf, customFieldKeys } from './custom-fields.ts';
import { importFields, isImportField } from './fields.ts';
import { readOptions } from './options.ts';
import { importEtag, importView } from './view.ts';

/**
 * A mapping the import can use: keys are columns of the file, values fields of the entity or `cf.<key>` of one of
 * its custom fields (null: not imported), no field twice. Every problem is named at `mapping.<column>`.
 */
export function checkMapping(
  entity: ImportEntity,
  headers: readonly string[],
  mapping: Readonly<Record<string, string | null>>,
  customKeys: readonly string[],
): Record<string, string> {
  const issues: FieldIssue[] = [];
  const result: Record<string, string> = {};
  const used = new Map<string, string>();
  for (const [header, field] of Object.entries(mapping)) {
    const path = `mapping.${header}`;
    const customKey = field === null ? null : customFieldKeyOf(field);
    if (!headers.includes(header)) issues.push({ path, message: 'Not a column of the file' });
    else if (field === null) continue;
    else if (customKey !== null && !customKeys.includes(customKey)) {
      issues.push({ path, message: `No custom field of a ${entity} has the key "${customKey}"` });
    } else if (customKey === null && !isImportField(entity, field)) {
      const fields = [...importFields[entity], `${CUSTOM_FIELD_PREFIX}<key> of a custom field`];
      issues.push({ path, message: `Not a field of a ${entity}; one of ${fields.join(', ')}` });
    } else if (used.has(field)) {
      issues.push({ path, message: `${field} is already mapped from "${used.get(field)}"` });
    } else {
      used.set(field, header);
      result[header] = field;
    }
  }
  if (issues.length) throw badRequest('validation_failed', 'The mapping does not fit the file', issues);
  return result;
}

/** Sets the mapping and options of an import that has not started; If-Match guards a concurrent edit. */
export async function updateImport(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof ImportPatch>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'data:import');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findImport(tx, organizationId, id, true);
    checkIfMatch(ifMatch, importEtag(current), 'import');
    if (current.status !== 'uploaded') {
      throw conflict('import_started', 'The import has started; its mapping and options can no longer change');
    }
    const options = readOptions(current.options);
    const customKeys = await customFieldKeys(tx, organizationId, current.entity);
    const mapping = patch.mapping
      ? checkMapping(current.entity, options.headers, patch.mapping, customKeys)
      : current.mapping;
    const nextOptions = { ...options, ...patch.options };
    const [row] = await tx
      .update(imports)
      .set({ mapping, options: nextOptions, updatedAt: new Date() })
      .where(and(eq(imports.organizationId, organizationId), eq(imports.id, id)))
      .returning();
    const view = importView(row!, customKeys);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'import.updated',
      target: { type: 'import', id },
      changes: { mapping: [current.mapping, mapping], options: [readOptions(current.options), nextOptions] },
      event: { type: 'import.updated', payload: view },
    });
    return { view, etag: importEtag(row!) };
  });
}
