import type { z } from '@hono/zod-openapi';
import { customFieldDefinitions } from '../../db/schema/index.ts';
import { badRequest, conflict } from '../../openapi/errors.ts';
import type { CustomFieldPatch } from '../../openapi/schemas/custom-fields.ts';
import { assertCan } from '../auth/permissions.ts';
import { isUniqueViolation } from '../companies/domain-taken.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { diff, recordChange } from '../support/record.ts';
import { updateTenantRow } from '../support/tenant-row.ts';
import { lockCustomField } from './access.ts';
import { keyTaken } from './create.ts';
import { valuesExist } from './records.ts';
import { customFieldView } from './view.ts';

const hasOptions = (type: string) => type === 'select' || type === 'multi_select';

/** Relabels, reorders or reshapes a definition; its key and type stay fixed once any record holds a value. */
export async function updateCustomField(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof CustomFieldPatch>,
) {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await lockCustomField(tx, organizationId, id);
    const type = patch.type ?? current.type;
    // Leaving a select type drops its options; staying one keeps them unless new ones are given.
    const options = patch.options ?? (hasOptions(type) ? current.options : null);
    if (hasOptions(type) !== (options !== null)) {
      throw badRequest('validation_failed', 'Give options for select and multi_select fields, and only for them', [
        { path: 'options', message: hasOptions(type) ? 'Required for this type' : 'Only for select types' },
      ]);
    }
    const requested = { ...patch, type, options };
    const changes = diff(current as unknown as Record<string, unknown>, requested);
    if (Object.keys(changes).length === 0) return customFieldView(current);
    if ((changes.key || changes.type) && (await valuesExist(tx, organizationId, current.entity, current.key))) {
      throw conflict('custom_field_in_use', 'Records hold values for this field; its key and type cannot change');
    }
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    const row = await tx
      .transaction((savepoint) => updateTenantRow(savepoint, customFieldDefinitions, organizationId, id, next))
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw keyTaken(String(next.key));
        throw error;
      });
    const field = customFieldView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'custom_field.updated',
      target: { type: 'custom_field', id },
      changes,
      event: { type: 'custom_field.updated', payload: { field, changes } },
    });
    return field;
  });
}
