import type { z } from '@hono/zod-openapi';
import { companies } from '../../db/schema/index.ts';
import { CompanyInput } from '../../openapi/schemas/companies.ts';
import { assertMayChange } from '../companies/access.ts';
import { domainTakenError } from '../companies/domain-taken.ts';
import { companyPatchDiffable, newCompanyFields } from '../companies/fields.ts';
import { companyView } from '../companies/view.ts';
import { diff } from '../support/record.ts';
import { chunkWriter } from './chunk.ts';
import type { BatchAdapter } from './run.ts';

type Input = z.infer<typeof CompanyInput>;
type Company = typeof companies.$inferSelect;

/**
 * Companies by the single create's and PATCH's rules: shared, so every member sees them and an upsert may match
 * any, but a sales rep changes only those they own (an honest 403, as a PATCH answers); a domain is compared
 * as the contract normalised it (a URL's bare host) and stays unique in the organization.
 */
export const companyBatch: BatchAdapter<Input> = {
  resource: 'companies',
  create: 'companies:create',
  update: 'companies:update',
  schema: CompanyInput,
  matchOn: ['domain', 'externalId'],
  keyOf: (item, matchOn) => (matchOn === 'domain' ? (item.input.domain ?? undefined) : item.externalId),
  claimsOf: (input) => ({ domain: input.domain }),
  writeChunk: chunkWriter<Input, typeof companies, ReturnType<typeof companyView>>(({ actor, checks }) => ({
    entity: 'company',
    table: companies,
    view: companyView,
    shared: true,
    claims: [
      { field: 'domain', valueOf: (item) => item.input.domain, taken: (domain, id) => domainTakenError(domain, id) },
    ],
    async create({ input }) {
      const ownerId = await checks.newOwner(input.ownerId);
      const fields = newCompanyFields(input, ownerId, await checks.newCustomFields('company', input.customFields));
      return { values: fields, audit: fields };
    },
    async update({ input }, current: Company) {
      assertMayChange(actor.principal, current);
      if (input.ownerId !== undefined && input.ownerId !== current.ownerId) await checks.owner(input.ownerId);
      const { before, requested } = companyPatchDiffable(current, input);
      const changes = diff(before as unknown as Record<string, unknown>, {
        ...requested,
        customFields: await checks.patchedCustomFields('company', input.customFields, current.customFields),
      });
      return { changes };
    },
  })),
};
