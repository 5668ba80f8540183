import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { contacts } from '../../db/schema/index.ts';
import type { ContactInput } from '../../openapi/schemas/contacts.ts';
import { assertCan, ownRecordsOnly } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldsForCreate } from '../custom-fields/definitions.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { checkOwner } from '../support/owner.ts';
import { recordChange } from '../support/record.ts';
import { checkCompany } from './access.ts';
import { auditConsent } from './consent-audit.ts';
import { newContactFields } from './fields.ts';
import { contactView } from './view.ts';

/** Creates a contact with its audit rows (and its consent's) and `contact.created` event in one transaction. */
export async function createContact(
  ctx: RegionContext,
  actor: Actor,
  input: z.infer<typeof ContactInput>,
  idempotencyKey?: string,
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'contacts:create');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      // The actor is part of the request: a rep's contact defaults to them, and no one may be handed another's.
      const request = { op: 'createContact', input, actor: actorId(principal) };
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, request);
      if (prior) return { ...prior, replayed: true };
    }
    const ownerId = input.ownerId === undefined ? ownRecordsOnly(principal) : input.ownerId;
    await checkOwner(tx, principal, ownerId);
    await checkCompany(tx, organizationId, input.companyId);
    const { fields, consentChange } = newContactFields(
      input,
      ownerId ?? null,
      await customFieldsForCreate(tx, organizationId, 'contact', input.customFields),
      new Date(),
    );
    const [row] = await tx
      .insert(contacts)
      .values({ organizationId, id: newId(), ...fields, createdBy: actorId(principal) })
      .returning();
    const contact = contactView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'contact.created',
      target: { type: 'contact', id: contact.id },
      changes: fields,
      event: { type: 'contact.created', payload: contact },
    });
    await auditConsent(tx, actor, contact.id, consentChange);
    const response = { status: 201, body: contact };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
