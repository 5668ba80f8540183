import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { savedViews } from '../../db/schema/index.ts';
import type { SavedViewInput } from '../../openapi/schemas/saved-views.ts';
import type { RegionContext } from '../context.ts';
import { definitionsFor } from '../custom-fields/definitions.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { recordChange } from '../support/record.ts';
import { assertMayUse } from './access.ts';
import { checkViewFilters } from './filters.ts';
import { savedViewView } from './view.ts';

/** Saves a view of a list for its creator (and, if shared, for the organization to read). */
export async function createSavedView(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof SavedViewInput>,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertMayUse(principal, input.entity);
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      const request = { op: 'createSavedView', input, actor: actorId(principal) };
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, request);
      if (prior) return { ...prior, replayed: true };
    }
    const definitions = input.entity === 'activity' ? [] : await definitionsFor(tx, organizationId, input.entity);
    const fields = {
      name: input.name,
      entity: input.entity,
      filters: checkViewFilters(input.entity, input.filters ?? {}, definitions),
      sort: input.sort ?? [],
      shared: input.shared ?? false,
    };
    const [row] = await tx
      .insert(savedViews)
      .values({ organizationId, id: newId(), ownerId: actorId(principal), ...fields })
      .returning();
    const view = savedViewView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'saved_view.created',
      target: { type: 'saved_view', id: view.id },
      changes: fields,
      event: { type: 'saved_view.created', payload: view },
    });
    const response = { status: 201, body: view };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
