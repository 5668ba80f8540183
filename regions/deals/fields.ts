import type { z } from '@hono/zod-openapi';
import type { CustomFieldValues } from '../../db/schema/crm.ts';
import type { DealInput, DealPatch } from '../../openapi/schemas/deals.ts';
import { canonicalAmount } from './amount.ts';
import type { Transition } from './transitions.ts';

type Patch = z.infer<typeof DealPatch>;

/** A new deal's stored fields (its placement apart): the input with its defaults. Shared by create and batch. */
export const newDealFields = (
  input: z.infer<typeof DealInput>,
  placed: { ownerId: string | null; pipelineId: string; customFields: CustomFieldValues },
) => ({
  name: input.name,
  amount: canonicalAmount(input.amount ?? '0'),
  currency: input.currency ?? 'USD',
  expectedCloseDate: input.expectedCloseDate ?? null,
  pipelineId: placed.pipelineId,
  ownerId: placed.ownerId,
  contactId: input.contactId ?? null,
  companyId: input.companyId ?? null,
  tags: input.tags ?? [],
  customFields: placed.customFields,
});

/** Whether the patch asks to move the deal: to another pipeline, or to another stage. */
export const movesDeal = (patch: Patch, deal: { pipelineId: string; stageId: string }) =>
  (patch.pipelineId !== undefined && patch.pipelineId !== deal.pipelineId) ||
  (patch.stageId !== undefined && patch.stageId !== deal.stageId);

/** The links a patch changes, to check as a create checks them (an unchanged link is not checked again). */
export const changedLinks = (patch: Patch, deal: { contactId: string | null; companyId: string | null }) => ({
  contactId: patch.contactId !== deal.contactId ? patch.contactId : undefined,
  companyId: patch.companyId !== deal.companyId ? patch.companyId : undefined,
});

/**
 * What a patch asks of a deal, to diff against it (custom fields apart: the caller checks them against the
 * definitions): its scalars, the amount in canonical form, and the move's placement when it moves.
 */
export function requestedDeal(patch: Patch, move: { pipelineId: string; transition: Transition } | null) {
  const { pipelineId: _p, stageId: _s, customFields: _c, ...scalars } = patch;
  return {
    ...scalars,
    ...(patch.amount === undefined ? {} : { amount: canonicalAmount(patch.amount) }),
    ...(move ? { pipelineId: move.pipelineId, ...move.transition.fields } : {}),
  };
}
