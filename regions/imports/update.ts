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
import { importFields, isImportField } from './fields.ts';
import { readOptions } from './options.ts';
import { importEtag, importView } from './view.ts';

/**
 * A mapping the import can use: keys are columns of the file, values fields of the entity (null: not imported),
 * no field twice. Every problem is named at `mapping.<column>`.
 */
export function checkMapping(
  entity: ImportEntity,
  headers: readonly string[],
  mapping: Readonly<Record<string, string | null>>,
): Record<string, string> {
  const issues: FieldIssue[] = [];
  const result: Record<string, string> = {};
  const used = new Map<string, string>();
  for (const [header, field] of Object.entries(mapping)) {
    const path = `mapping.${header}`;
    if (!headers.includes(header)) issues.push({ path, message: 'Not a column of the file' });
    else if (field === null) continue;
    else if (!isImportField(entity, field)) {
      issues.push({ path, message: `Not a field of a ${entity}; one of ${importFields[entity].join(', ')}` });
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
    const mapping = patch.mapping ? checkMapping(current.entity, options.headers, patch.mapping) : current.mapping;
    const nextOptions = { ...options, ...patch.options };
    const [row] = await tx
      .update(imports)
      .set({ mapping, options: nextOptions, updatedAt: new Date() })
      .where(and(eq(imports.organizationId, organizationId), eq(imports.id, id)))
      .returning();
    const view = importView(row!);
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
