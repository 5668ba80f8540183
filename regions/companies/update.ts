import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { companies } from '../../db/schema/index.ts';
import type { CompanyPatch } from '../../openapi/schemas/companies.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldsForPatch } from '../custom-fields/definitions.ts';
import type { Actor } from '../support/actor.ts';
import { checkOwner } from '../support/owner.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { diff, recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { assertMayChange, findCompany } from './access.ts';
import { domainTaken, isUniqueViolation } from './domain-taken.ts';
import { companyPatchDiffable } from './fields.ts';
import { companyView } from './view.ts';

/** Applies a patch under the row lock, honouring If-Match, and records the change and its event. */
export async function updateCompany(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof CompanyPatch>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'companies:update');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findCompany(tx, organizationId, id, true);
    assertMayChange(principal, current);
    checkIfMatch(ifMatch, etagOf(current.version), 'company');
    if (patch.ownerId !== undefined && patch.ownerId !== current.ownerId)
      await checkOwner(tx, principal, patch.ownerId);
    const { before, requested } = companyPatchDiffable(current, patch);
    const changes = diff(before as unknown as Record<string, unknown>, {
      ...requested,
      customFields: await customFieldsForPatch(tx, organizationId, 'company', patch.customFields, current.customFields),
    });
    if (Object.keys(changes).length === 0) return companyView(current);
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    const write = () =>
      tx.transaction((savepoint) =>
        savepoint
          .update(companies)
          .set({ ...next, version: current.version + 1, updatedAt: new Date() })
          .where(and(eq(companies.organizationId, organizationId), eq(companies.id, id)))
          .returning(),
      );
    // A savepoint, so that losing a race for the domain to a concurrent write leaves the transaction usable for
    // naming the winner in the 409.
    const [row] = await write().catch(async (error: unknown) => {
      if (typeof next.domain === 'string' && isUniqueViolation(error))
        throw await domainTaken(tx, organizationId, next.domain);
      throw error;
    });
    const company = companyView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'company.updated',
      target: { type: 'company', id },
      changes,
      event: { type: 'company.updated', payload: { company, changes } },
    });
    return company;
  });
}
