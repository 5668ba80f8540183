import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { forms } from '../../db/schema/index.ts';
import type { FormInput } from '../../openapi/schemas/forms.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { formView } from './view.ts';

/** Adds a lead-capture form (admins); audited with its `form.created` event. */
export async function createForm(ctx: RegionContext, actor: Actor, input: z.infer<typeof FormInput>) {
  const { principal } = actor;
  assertCan(principal, 'forms:manage');
  const { organizationId } = principal;
  const fields = {
    name: input.name,
    fields: input.fields,
    leadDefaults: input.leadDefaults ?? {},
    consentText: input.consentText ?? null,
    consentRequired: input.consentRequired ?? false,
    submitLabel: input.submitLabel ?? 'Send',
    successMessage: input.successMessage ?? null,
    redirectUrl: input.redirectUrl ?? null,
    allowedOrigins: input.allowedOrigins,
    turnstileSiteKey: input.turnstileSiteKey ?? null,
    active: input.active ?? true,
  };
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .insert(forms)
      .values({ organizationId, id: newId(), ...fields, createdBy: actorId(principal) })
      .returning();
    const form = formView(row!, ctx.region);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'form.created',
      target: { type: 'form', id: form.id },
      changes: fields,
      event: { type: 'form.created', payload: form },
    });
    return form;
  });
}
