import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { forms } from '../../db/schema/index.ts';
import { badRequest } from '../../openapi/errors.ts';
import type { FormPatch } from '../../openapi/schemas/forms.ts';
import { canonical } from '../assignment-rules/update.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { checkIfMatch } from '../support/preconditions.ts';
import { recordChange } from '../support/record.ts';
import { etagOf } from '../support/views.ts';
import { findForm } from './access.ts';
import { formView } from './view.ts';

/**
 * Changes a form under its row lock, honouring If-Match; a new version, audited with its `form.updated` event. The
 * edge drops its copy of the public definition when this answers, so embeds see the change at once.
 */
export async function updateForm(
  ctx: RegionContext,
  actor: Actor,
  id: string,
  patch: z.infer<typeof FormPatch>,
  ifMatch?: string,
) {
  const { principal } = actor;
  assertCan(principal, 'forms:manage');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const current = await findForm(tx, organizationId, id, { lock: true });
    checkIfMatch(ifMatch, etagOf(current.version), 'form');
    const changes: Record<string, [unknown, unknown]> = {};
    for (const [field, after] of Object.entries(patch)) {
      const was = current[field as keyof typeof current];
      if (after !== undefined && canonical(was) !== canonical(after)) changes[field] = [was, after];
    }
    const consentRequired = patch.consentRequired ?? current.consentRequired;
    const consentText = patch.consentText === undefined ? current.consentText : patch.consentText;
    if (consentRequired && !consentText) {
      const message = 'A required consent needs its text';
      throw badRequest('validation_failed', message, [{ path: 'consentText', message }]);
    }
    if (Object.keys(changes).length === 0) return formView(current, ctx.region);
    const set = Object.fromEntries(Object.entries(changes).map(([field, [, after]]) => [field, after]));
    const [row] = await tx
      .update(forms)
      .set({ ...set, version: current.version + 1, updatedAt: new Date() })
      .where(and(eq(forms.organizationId, organizationId), eq(forms.id, id)))
      .returning();
    const form = formView(row!, ctx.region);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'form.updated',
      target: { type: 'form', id },
      changes,
      event: { type: 'form.updated', payload: { form, changes } },
    });
    return form;
  });
}
