import type { z } from '@hono/zod-openapi';
import type { CustomFieldValues } from '../../db/schema/crm.ts';
import type { companies } from '../../db/schema/index.ts';
import type { CompanyInput, CompanyPatch } from '../../openapi/schemas/companies.ts';
import { addressOrNull } from './address.ts';

type Company = typeof companies.$inferSelect;

/**
 * A new company's stored fields: the input (its domain already reduced to a host by the contract) with its
 * defaults and its address in canonical shape. Shared by the single create and the batch.
 */
export const newCompanyFields = (
  input: z.infer<typeof CompanyInput>,
  ownerId: string | null,
  customFields: CustomFieldValues,
) => ({
  name: input.name,
  domain: input.domain ?? null,
  industry: input.industry ?? null,
  size: input.size ?? null,
  address: addressOrNull(input.address),
  ownerId,
  tags: input.tags ?? [],
  customFields,
});

/**
 * A company and what a patch asks of it, both with addresses in canonical shape so that diffing them finds only
 * real changes (custom fields apart: the caller checks them against the definitions). Shared by PATCH and batch.
 */
export function companyPatchDiffable(current: Company, patch: z.infer<typeof CompanyPatch>) {
  const { customFields: _custom, ...fields } = patch;
  return {
    before: { ...current, address: addressOrNull(current.address) },
    requested: { ...fields, ...(fields.address === undefined ? {} : { address: addressOrNull(fields.address) }) },
  };
}
