import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { contacts } from '../../db/schema/index.ts';
import type { ContactPatch } from '../../openapi/schemas/contacts.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { customFieldsForPatch } from '../custom-fields/definitions.ts';
import type { Actor } from '../support/actor.ts';
import { checkOwner } from '../support/owner.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { diff, recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { checkCompany, findVisibleContact } from './access.ts';
import { auditConsent } from './consent-audit.ts';
import { requestedContact } from './fields.ts';
import { contactView } from './view.ts';

/** Applies a patch under the row lock, honouring If-Match; consent changes get their own audit row. */
export async function updateContact(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof ContactPatch>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'contacts:update');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    // The company is locked before the contact, in the order a company deletion locks them, so the two never deadlock.
    await checkCompany(tx, organizationId, patch.companyId);
    const current = await findVisibleContact(tx, principal, id, true);
    checkIfMatch(ifMatch, etagOf(current.version), 'contact');
    if (patch.ownerId !== undefined && patch.ownerId !== current.ownerId)
      await checkOwner(tx, principal, patch.ownerId);
    const { requested, consentChange } = requestedContact(current, patch, new Date());
    const changes = diff(current as unknown as Record<string, unknown>, {
      ...requested,
      customFields: await customFieldsForPatch(tx, organizationId, 'contact', patch.customFields, current.customFields),
    });
    if (Object.keys(changes).length === 0) return contactView(current);
    const next = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    const [row] = await tx
      .update(contacts)
      .set({ ...next, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, id)))
      .returning();
    const contact = contactView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'contact.updated',
      target: { type: 'contact', id },
      changes,
      event: { type: 'contact.updated', payload: { contact, changes } },
    });
    await auditConsent(tx, actor, id, consentChange);
    return contact;
  });
}
