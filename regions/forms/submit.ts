import type { z } from '@hono/zod-openapi';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { formSubmissions } from '../../db/schema/index.ts';
import { parseFormPublicId } from '../../edge/forms/public-id.ts';
import { badRequest, notFound } from '../../openapi/errors.ts';
import type { FormField } from '../../openapi/schemas/forms.ts';
import type { RegionContext } from '../context.ts';
import { createLead } from '../leads/create.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { findForm } from './access.ts';
import { readSubmission, type SubmittedValues } from './values.ts';

export type SubmissionMeta = {
  ip: string | null;
  userAgent: string | null;
  requestId: string;
  origin: string | null;
  pageUrl: string | null;
};

/**
 * The region's services bound to one open transaction: `createLead` runs its own `withTenant`, and here it must run
 * inside the submission's, so the lead, the submission with its consent, and both events commit or fail together.
 */
function boundTo(ctx: RegionContext, tx: Tx): RegionContext {
  const shards = Object.create(ctx.shards) as RegionContext['shards'];
  shards.withTenant = <T>(_organizationId: string, work: (tx: Tx) => Promise<T>) => work(tx);
  return { ...ctx, shards };
}

/**
 * A public submission (the edge has checked origin, honeypot, rate limits and Turnstile): the lead is made by the
 * same service as `POST /api/v1/leads` (scored, duplicates counted, `lead.created` for dispatch, which assigns it and
 * so has its owner notified), the submission keeps the values and the consent as given, and `form.submitted` goes
 * to the outbox, all in one transaction.
 */
export async function submitForm(
  ctx: RegionContext,
  publicId: string,
  submitted: SubmittedValues,
  meta: SubmissionMeta,
) {
  const parsed = parseFormPublicId(publicId);
  if (!parsed || parsed.region !== ctx.region) throw notFound('Form');
  const { organizationId, formId } = parsed;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const form = await findForm(tx, organizationId, formId).catch(() => null);
    if (!form?.active) throw notFound('Form');
    const read = readSubmission(
      {
        fields: form.fields as z.output<typeof FormField>[],
        leadDefaults: form.leadDefaults as Record<string, string>,
        consentRequired: form.consentRequired,
      },
      submitted,
    );
    if (!read.ok) throw badRequest('validation_failed', 'Some fields need another look', read.issues);
    // The form acts like an API key that may only create leads: the audit log names it as the actor.
    const actor: Actor = {
      principal: { type: 'api_key', organizationId, region: ctx.region, keyId: form.id, scopes: ['leads:create'] },
      ip: meta.ip,
      userAgent: meta.userAgent,
      requestId: meta.requestId,
    };
    const created = await createLead(boundTo(ctx, tx), actor, read.lead);
    const lead = created.body as { id: string };
    const now = new Date();
    const consentGiven = read.consent && Boolean(form.consentText);
    const [row] = await tx
      .insert(formSubmissions)
      .values({
        organizationId,
        id: newId(),
        formId: form.id,
        leadId: lead.id,
        values: read.values,
        consentGiven,
        consentText: consentGiven ? form.consentText : null,
        consentGivenAt: consentGiven ? now : null,
        origin: meta.origin,
        pageUrl: meta.pageUrl,
        ip: meta.ip,
        userAgent: meta.userAgent,
        createdAt: now,
      })
      .returning();
    const submission = {
      id: row!.id,
      formId: form.id,
      leadId: lead.id,
      values: read.values,
      consent: consentGiven
        ? {
            given: true,
            text: form.consentText,
            at: now.toISOString(),
            how: `web form ${publicId}`,
            pageUrl: meta.pageUrl,
          }
        : { given: false },
      origin: meta.origin,
      createdAt: now.toISOString(),
    };
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'form.submitted',
      target: { type: 'form_submission', id: row!.id },
      changes: { formId: form.id, leadId: lead.id, consentGiven },
      event: { type: 'form.submitted', payload: submission },
    });
    return {
      submission: { id: row!.id },
      message: form.successMessage,
      redirectUrl: form.redirectUrl,
    };
  });
}
