import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { contacts } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { badRequest } from '../../openapi/errors.ts';
import { applyConsent } from '../contacts/consent.ts';
import { consentAuditEntry } from '../contacts/consent-audit.ts';
import { contactView } from '../contacts/view.ts';
import type { RegionContext } from '../context.ts';
import { recordChange } from '../support/record.ts';
import { suppress } from './suppression.ts';
import { maskAddress, readUnsubscribeToken } from './unsubscribe-token.ts';

/** Who withdrew consent: the person through the link (no principal), or a member adding the suppression. */
export type ConsentActor = { principal: Principal | null; ip: string | null; userAgent: string | null };

/**
 * Withdraws the marketing consent of every contact of the organization with this address, each as a PATCH would
 * (versioned, `contact.updated`) plus the consent audit entry with its source. Returns the contacts changed.
 */
export async function withdrawMarketingConsent(
  tx: Tx,
  organizationId: string,
  address: string,
  actor: ConsentActor,
  source: string,
): Promise<string[]> {
  const consenting = await tx
    .select()
    .from(contacts)
    .where(
      and(
        eq(contacts.organizationId, organizationId),
        eq(contacts.email, address),
        eq(contacts.marketingEmailConsent, true),
      ),
    )
    .for('update');
  const now = new Date();
  for (const current of consenting) {
    const { state, change } = applyConsent(current, { marketingEmailConsent: false, consentSource: source }, now);
    if (!change) continue;
    const [row] = await tx
      .update(contacts)
      .set({ ...state, version: current.version + 1, updatedAt: now })
      .where(and(eq(contacts.organizationId, organizationId), eq(contacts.id, current.id)))
      .returning();
    const changes = {
      marketingEmailConsent: [true, false],
      consentSource: [current.consentSource, null],
      consentGivenAt: [current.consentGivenAt?.toISOString() ?? null, null],
    };
    const contact = contactView(row!);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'contact.updated',
      target: { type: 'contact', id: current.id },
      changes,
      event: { type: 'contact.updated', payload: { contact, changes } },
    });
    await recordChange(tx, { organizationId, actor, ...consentAuditEntry(current.id, change) });
  }
  return consenting.map((c) => c.id);
}

/**
 * The unsubscribe link (GET) and one-click unsubscribe (POST): the token names the organization and the address.
 * The address goes on the suppression list as `unsubscribed` (bulk email stops, at the worker too, for emails
 * already queued) and its contacts lose their marketing consent. Idempotent: a second visit finds it done.
 */
export async function unsubscribe(
  ctx: RegionContext,
  token: string,
  request: { ip: string | null; userAgent: string | null },
) {
  const claims = await readUnsubscribeToken(ctx.signingSecret, ctx.region, token);
  if (!claims) {
    throw badRequest('invalid_unsubscribe_token', 'This unsubscribe link is not valid', [
      { path: 'token', message: 'Use the link from the email as it is' },
    ]);
  }
  const { organizationId, address, contactId } = claims;
  const actor: ConsentActor = { principal: null, ...request };
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const fresh = await suppress(tx, { organizationId, address, reason: 'unsubscribed', detail: 'unsubscribe link' });
    const withdrawn = await withdrawMarketingConsent(tx, organizationId, address, actor, 'unsubscribe_link');
    if (fresh) {
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'email.unsubscribed',
        target: { type: 'contact', id: contactId },
        changes: { address, contacts: withdrawn },
        event: { type: 'email.unsubscribed', payload: { address, contactId, contacts: withdrawn } },
      });
    }
    return { address: maskAddress(address), unsubscribed: true as const, alreadyUnsubscribed: !fresh };
  });
}
