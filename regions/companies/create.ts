import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { companies } from '../../db/schema/index.ts';
import type { CompanyInput } from '../../openapi/schemas/companies.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldsForCreate } from '../custom-fields/definitions.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { checkOwner } from '../support/owner.ts';
import { recordChange } from '../support/record.ts';
import { domainTaken } from './domain-taken.ts';
import { newCompanyFields } from './fields.ts';
import { companyView } from './view.ts';

/** Creates a company with its audit row and `company.created` event in one transaction; replays an idempotent retry. */
export async function createCompany(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof CompanyInput>,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'companies:create');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      const request = { op: 'createCompany', input, actor: actorId(principal) };
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, request);
      if (prior) return { ...prior, replayed: true };
    }
    // A rep's company is theirs unless they say otherwise: it is the only kind they may change afterwards.
    const ownerId = input.ownerId === undefined ? ownRecordsOnly(principal) : input.ownerId;
    await checkOwner(tx, principal, ownerId);
    const customFields = await customFieldsForCreate(tx, organizationId, 'company', input.customFields);
    const fields = newCompanyFields(input, ownerId ?? null, customFields);
    // The unique index decides between concurrent creates: the loser waits for the winner's commit, inserts
    // nothing, and then sees the winner's row to name in its 409.
    const [row] = await tx
      .insert(companies)
      .values({ organizationId, id: newId(), ...fields, createdBy: actorId(principal) })
      .onConflictDoNothing()
      .returning();
    if (!row) throw await domainTaken(tx, organizationId, fields.domain!);
    const company = companyView(row);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'company.created',
      target: { type: 'company', id: company.id },
      changes: fields,
      event: { type: 'company.created', payload: company },
    });
    const response = { status: 201, body: company };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
