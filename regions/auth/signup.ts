import type { z } from '@hono/zod-openapi';
import { newId } from '../../db/ids.ts';
import { memberships, organizations, tenantPlacements, users } from '../../db/schema/index.ts';
import { conflict } from '../../openapi/errors.ts';
import type { SignupInput } from '../../openapi/schemas/auth.ts';
import type { RegionContext } from '../context.ts';
import { ensureDefaultPipeline } from '../pipelines/defaults.ts';
import { recordChange } from '../support/record.ts';
import { normaliseEmail } from '../support/views.ts';
import { assertStrongPassword, passwordUserInputs } from './password-strength.ts';
import { hashPassword } from './passwords.ts';
import { issueSession } from './session.ts';

type Origin = { ip: string | null; userAgent: string | null };

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug.length >= 2 ? slug : 'org';
}

/** What a new organization and its admin are made of, once the password is checked and hashed. */
export type NewOrganization = {
  organizationId: string;
  userId: string;
  /** Normalised (lower case). */
  email: string;
  organization: string;
  name?: string | undefined;
  passwordHash: string;
};

/**
 * Reserves the slug (a short suffix when taken) and the login email in the directory. Null when the email is
 * registered already (nothing stays reserved); a `slug_taken` conflict when no free address was found.
 */
export async function reserveSignup(
  ctx: RegionContext,
  claim: Pick<NewOrganization, 'organizationId' | 'userId' | 'email' | 'organization'>,
): Promise<{ slug: string } | null> {
  const { organizationId, userId, email } = claim;
  const base = slugify(claim.organization);
  let slug: string | null = null;
  for (let attempt = 0; attempt < 6 && !slug; attempt++) {
    const candidate = attempt === 0 ? base : `${base}-${Math.random().toString(36).slice(2, 7)}`;
    if (await ctx.directory.claimOrganization({ slug: candidate, organizationId, region: ctx.region }))
      slug = candidate;
  }
  if (!slug) throw conflict('slug_taken', 'Could not find a free address for this organization name; try another');

  if (!(await ctx.directory.claimLogin({ email, organizationId, userId, region: ctx.region }))) {
    await ctx.directory.release({ slug });
    return null;
  }
  return { slug };
}

/**
 * Writes the reserved organization, its admin and the `organization.created` audit row to the shard and signs the
 * admin in; a failure gives the directory reservations back.
 */
export async function createOrganization(ctx: RegionContext, fresh: NewOrganization, slug: string, origin: Origin) {
  const { organizationId, userId, email, passwordHash } = fresh;
  try {
    return await ctx.shards.withTenant(organizationId, async (tx) => {
      const [organization] = await tx
        .insert(organizations)
        .values({ id: organizationId, name: fresh.organization, slug, homeRegion: ctx.region })
        .returning();
      await tx
        .insert(tenantPlacements)
        .values({ organizationId, bucket: ctx.shards.bucketOf(organizationId), region: ctx.region });
      const [user] = await tx
        .insert(users)
        .values({ organizationId, id: userId, email, name: fresh.name ?? '', passwordHash })
        .returning();
      await tx.insert(memberships).values({ organizationId, userId, role: 'admin' });
      await ensureDefaultPipeline(tx, organizationId);
      const actor = { principal: null, ...origin };
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'organization.created',
        target: { type: 'organization', id: organizationId },
        changes: { name: fresh.organization, slug, region: ctx.region, admin: userId },
        event: { type: 'organization.created', payload: { organizationId, region: ctx.region } },
      });
      return issueSession(ctx, tx, { organization: organization!, user: user!, role: 'admin', origin });
    });
  } catch (error) {
    await ctx.directory.release({ slug, email }).catch(() => {});
    throw error;
  }
}

/**
 * Direct sign-up (`SIGNUP_CONFIRMATION=none`): reserves, then writes the shard at once. A registered email is
 * refused with `email_taken`, which tells anyone asking that the email is registered (docs/security.md).
 */
export async function signup(ctx: RegionContext, input: z.infer<typeof SignupInput>, origin: Origin) {
  const organizationId = newId();
  const userId = newId();
  const email = normaliseEmail(input.email);
  // Checked before anything is claimed, so a refused password leaves no reservation behind.
  await assertStrongPassword(input.password, passwordUserInputs(email, input.name, input.organization));
  // Hashed before the reservation, which a failure here would otherwise leave behind.
  const passwordHash = await hashPassword(input.password);
  const reserved = await reserveSignup(ctx, { organizationId, userId, email, organization: input.organization });
  if (!reserved) throw conflict('email_taken', 'This email is already registered; sign in instead');
  const fresh = { organizationId, userId, email, organization: input.organization, name: input.name, passwordHash };
  return createOrganization(ctx, fresh, reserved.slug, origin);
}
