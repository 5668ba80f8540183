import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { customFieldDefinitions } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import type { CustomFieldInput } from '../../openapi/schemas/custom-fields.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { recordChange } from '../support/record.ts';
import { customFieldView } from './view.ts';

export const keyTaken = (key: string) => conflict('custom_field_exists', `A custom field with the key ${key} exists`);

/** Defines a custom field; the unique index on (organization, entity, key) decides between concurrent creates. */
export async function createCustomField(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof CustomFieldInput>,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'settings:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      const request = { op: 'createCustomField', input, actor: actorId(principal) };
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, request);
      if (prior) return { ...prior, replayed: true };
    }
    const fields = {
      entity: input.entity,
      key: input.key,
      label: input.label,
      type: input.type,
      options: input.options ?? null,
      required: input.required ?? false,
      position: input.position ?? 0,
    };
    const [row] = await tx
      .insert(customFieldDefinitions)
      .values({ organizationId, id: newId(), ...fields })
      .onConflictDoNothing()
      .returning();
    if (!row) throw keyTaken(input.key);
    const field = customFieldView(row);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'custom_field.created',
      target: { type: 'custom_field', id: field.id },
      changes: fields,
      event: { type: 'custom_field.created', payload: field },
    });
    const response = { status: 201, body: field };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
