import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { newId } from '../../db/ids.ts';
import { contacts, leads } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import type { ConvertLeadInput } from '../../openapi/schemas/conversion.ts';
import { assertCan } from '../auth/permissions.ts';
import { companyView } from '../companies/view.ts';
import { contactView } from '../contacts/view.ts';
import type { RegionContext } from '../context.ts';
import { dealView } from '../deals/view.ts';
import { lockVisibleLead } from '../leads/access.ts';
import { scoreLead } from '../leads/score.ts';
import { scoringRulesFor } from '../scoring/store.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { claimIdempotencyKey, type StoredResponse, storeIdempotentResponse } from '../support/idempotency.ts';
import { checkOwner } from '../support/owner.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf, leadView } from '../support/views.ts';
import { conversionCompanyName, conversionDomain, findOrCreateCompany } from './company.ts';
import { openDeal } from './deal.ts';

type Options = { ifMatch?: string; idempotencyKey?: string };

/**
 * Converts a lead into a contact, the company it works for (found by domain or created) and, if asked, a deal —
 * all in one transaction on the organization's shard, so a failure at any step leaves no contact, company or deal
 * behind and the lead as it was. Each record gets its audit row and event; the lead records `lead.converted`.
 */
export async function convertLead(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  input: z.infer<typeof ConvertLeadInput>,
  { ifMatch, idempotencyKey }: Options = {},
): Promise<StoredResponse & { replayed: boolean }> {
  const { principal } = actor;
  assertCan(principal, 'leads:update');
  assertCan(principal, 'contacts:create');
  if (input.deal) assertCan(principal, 'deals:create');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    if (idempotencyKey) {
      const prior = await claimIdempotencyKey(tx, organizationId, idempotencyKey, {
        op: 'convertLead',
        id,
        input,
        actor: actorId(principal),
      });
      if (prior) return { ...prior, replayed: true };
    }
    const lead = await lockVisibleLead(tx, principal, id);
    checkIfMatch(ifMatch, etagOf(lead.version), 'lead');
    if (lead.convertedAt || lead.status === 'converted') {
      throw conflict('already_converted', 'This lead was already converted');
    }
    const ownerId = input.ownerId === undefined ? lead.ownerId : input.ownerId;
    if (input.ownerId !== undefined) await checkOwner(tx, principal, input.ownerId);

    const { company, created: companyCreated } =
      input.company === null
        ? { company: null, created: false }
        : await findOrCreateCompany(tx, actor, {
            domain: conversionDomain(input.company, lead.email),
            name: conversionCompanyName(input.company, lead.company),
            ownerId,
          });

    const [contact] = await tx
      .insert(contacts)
      .values({
        organizationId,
        id: newId(),
        firstName: lead.firstName,
        lastName: lead.lastName,
        email: lead.email,
        phone: lead.phone,
        title: lead.title,
        lifecycleStage: input.deal ? 'opportunity' : 'lead',
        companyId: company?.id ?? null,
        ownerId,
        leadId: lead.id,
        tags: lead.tags,
        createdBy: actorId(principal),
      })
      .returning();
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'contact.created',
      target: { type: 'contact', id: contact!.id },
      changes: { leadId: lead.id, companyId: contact!.companyId, ownerId, lifecycleStage: contact!.lifecycleStage },
      event: { type: 'contact.created', payload: contactView(contact!) },
    });

    const deal = input.deal
      ? await openDeal(tx, actor, input.deal, {
          ownerId,
          contactId: contact!.id,
          companyId: company?.id ?? null,
          leadId: lead.id,
        })
      : null;

    const now = new Date();
    const { score, reasons } = scoreLead({ ...lead, status: 'converted' }, await scoringRulesFor(tx, organizationId));
    const [converted] = await tx
      .update(leads)
      .set({
        status: 'converted',
        score,
        scoreReasons: reasons,
        convertedAt: now,
        convertedContactId: contact!.id,
        convertedCompanyId: company?.id ?? null,
        convertedDealId: deal?.id ?? null,
        version: lead.version + 1,
        updatedAt: now,
      })
      .where(and(eq(leads.organizationId, organizationId), eq(leads.id, lead.id)))
      .returning();
    const ids = {
      leadId: lead.id,
      contactId: contact!.id,
      companyId: company?.id ?? null,
      companyCreated,
      dealId: deal?.id ?? null,
    };
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'lead.converted',
      target: { type: 'lead', id: lead.id },
      changes: { status: [lead.status, 'converted'], ...ids },
      event: { type: 'lead.converted', payload: ids },
    });

    const body = {
      lead: leadView(converted!),
      contact: contactView(contact!),
      company: company ? companyView(company) : null,
      deal: deal ? dealView(deal) : null,
    };
    const response = { status: 201, body };
    if (idempotencyKey) await storeIdempotentResponse(tx, organizationId, idempotencyKey, response);
    return { ...response, replayed: false };
  });
}
