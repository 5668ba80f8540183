import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { companies } from '../../db/schema/index.ts';
import { assertCan } from '../auth/permissions.ts';
import { normaliseDomain } from '../companies/domain.ts';
import { companyView } from '../companies/view.ts';
import { freeMailDomains } from '../leads/score.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';

export type CompanyChoice = { name?: string; domain?: string } | null | undefined;

/**
 * The domain to find the company by: the one given, else the lead's email domain, unless that is a webmail
 * provider's (gmail.com says nothing about where someone works). Null when there is none to go by.
 */
export function conversionDomain(choice: CompanyChoice, leadEmail: string | null): string | null {
  if (choice?.domain) return normaliseDomain(choice.domain);
  const emailDomain = leadEmail?.split('@')[1];
  const domain = emailDomain ? normaliseDomain(emailDomain) : null;
  return domain && !freeMailDomains.has(domain) ? domain : null;
}

/** The name a company made by the conversion gets: the one given, else the lead's company; null makes none. */
export function conversionCompanyName(choice: CompanyChoice, leadCompany: string | null): string | null {
  return choice?.name?.trim() || leadCompany?.trim() || null;
}

/**
 * The organization's company with the domain, or a new one (audited, with its `company.created` event); null when
 * there is neither a match nor a name to create one under. A conversion running at the same time that creates
 * the same domain first wins, and this one links to its company instead of failing on the unique index.
 */
export async function findOrCreateCompany(
  tx: Tx,
  actor: Actor,
  target: { domain: string | null; name: string | null; ownerId: string | null },
) {
  const { organizationId } = actor.principal;
  const byDomain = async (domain: string) =>
    (
      await tx
        .select()
        .from(companies)
        .where(and(eq(companies.organizationId, organizationId), eq(companies.domain, domain)))
    )[0];
  if (target.domain) {
    const found = await byDomain(target.domain);
    if (found) return { company: found, created: false };
  }
  if (!target.name) return { company: null, created: false };
  assertCan(actor.principal, 'companies:create');
  const [inserted] = await tx
    .insert(companies)
    .values({
      organizationId,
      id: newId(),
      name: target.name,
      domain: target.domain,
      ownerId: target.ownerId,
      createdBy: actorId(actor.principal),
    })
    .onConflictDoNothing()
    .returning();
  if (!inserted) return { company: (await byDomain(target.domain!))!, created: false };
  await recordChange(tx, {
    organizationId,
    actor,
    action: 'company.created',
    target: { type: 'company', id: inserted.id },
    changes: { name: inserted.name, domain: inserted.domain, ownerId: inserted.ownerId },
    event: { type: 'company.created', payload: companyView(inserted) },
  });
  return { company: inserted, created: true };
}
