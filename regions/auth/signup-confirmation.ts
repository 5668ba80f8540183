import type { z } from '@hono/zod-openapi';
import { and, count, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Connection } from '../../db/database.ts';
import { newId } from '../../db/ids.ts';
import { emailMessages, organizations, signupRequests } from '../../db/schema/index.ts';
import { hashToken, makeRoutableToken, parseRoutableToken } from '../../edge/protocol/routable-token.ts';
import { ApiError } from '../../openapi/errors.ts';
import type { SignupInput } from '../../openapi/schemas/auth.ts';
import type { SignupConfirmInput } from '../../openapi/schemas/signup-confirmation.ts';
import type { RegionContext } from '../context.ts';
import { queueEmail } from '../emails/queue.ts';
import { noSoonerThan } from '../support/answer-floor.ts';
import { normaliseEmail } from '../support/views.ts';
import { RESET_ANSWER_FLOOR_MS } from './password-reset.ts';
import { assertStrongPassword, passwordUserInputs } from './password-strength.ts';
import { hashPassword } from './passwords.ts';
import { createOrganization, type NewOrganization, reserveSignup } from './signup.ts';

type Origin = { ip: string | null; userAgent: string | null };

/** `SIGNUP_CONFIRMATION`: sign up at once (`none`) or by an emailed link (`email`); see regions/config.ts. */
export type SignupConfirmation = 'none' | 'email';

export const SIGNUP_LINK_HOURS = 24;
/**
 * More sign-ups than this in an hour for one address send nothing more (the answer stays the same). Counted by the
 * region the sign-up goes to (each keeps its own requests), so a deployment of three regions sends up to three times.
 */
export const SIGNUP_EMAILS_PER_HOUR = 3;
/** Every sign-up answers no sooner than this, as a password-reset request does, registered email or not. */
export const SIGNUP_ANSWER_FLOOR_MS = RESET_ANSWER_FLOOR_MS;
/** Requests (and the emails of links never used) are kept this long after they were made, then deleted. */
const KEEP_HOURS = SIGNUP_LINK_HOURS * 2;
const PURGE_BATCH = 100;

const invalidLink = () =>
  new ApiError(400, 'invalid_signup_token', 'This sign-up link is not valid any more; sign up again');

/** Pending sign-ups live on the region's catalog (first) shard, beside its shard map: no organization owns them. */
const catalogOf = (ctx: RegionContext): Connection => ctx.shards.all()[0]!;

/**
 * Sign-up with `SIGNUP_CONFIRMATION=email`. The password is checked first (a 400 that does not depend on the
 * email); after that the caller learns nothing: a new email gets a link that creates the organization, a registered
 * one a note that it has an account, and both answers come after the same floor. Up to three emails an hour go to
 * one address from this region; more are dropped silently.
 */
export async function requestSignup(
  ctx: RegionContext,
  input: z.infer<typeof SignupInput>,
  origin: Origin,
  floorMs = SIGNUP_ANSWER_FLOOR_MS,
): Promise<void> {
  const email = normaliseEmail(input.email);
  await assertStrongPassword(input.password, passwordUserInputs(email, input.name, input.organization));
  // Housekeeping: a failure is logged, and the sign-up it rode along with goes on.
  const purge = purgeStaleRequests(ctx, new Date()).catch((err) =>
    ctx.log.error({ err }, 'could not delete stale sign-up requests'),
  );
  await noSoonerThan(floorMs, Promise.all([sendSignupEmail(ctx, input, email, origin), purge]));
}

async function sendSignupEmail(
  ctx: RegionContext,
  input: z.infer<typeof SignupInput>,
  email: string,
  origin: Origin,
): Promise<void> {
  const registered = (await ctx.directory.findLogin(email)) !== null;
  // Hashed either way, so a registered email costs the same argon2 time as a new one.
  const passwordHash = await hashPassword(input.password);
  const newOrganizationId = newId();
  const token = registered ? null : makeRoutableToken('sgn', ctx.region, newOrganizationId).token;
  const now = new Date();
  const sent = await catalogOf(ctx).db.transaction(async (tx) => {
    // One request per address at a time, so two at once cannot both slip under the hourly limit.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`signup:${email}`}, 0))`);
    const [recent] = await tx
      .select({ n: count() })
      .from(signupRequests)
      .where(and(eq(signupRequests.email, email), gt(signupRequests.createdAt, new Date(now.getTime() - 3_600_000))));
    if ((recent?.n ?? 0) >= SIGNUP_EMAILS_PER_HOUR) return false;
    // Only the newest link works: a mailbox holding several must not hold several keys.
    await tx
      .update(signupRequests)
      .set({ expiresAt: now })
      .where(and(eq(signupRequests.email, email), isNull(signupRequests.usedAt), gt(signupRequests.expiresAt, now)));
    await tx.insert(signupRequests).values({
      id: newId(),
      kind: registered ? 'exists' : 'confirm',
      email,
      newOrganizationId,
      organizationName: input.organization,
      userName: input.name ?? '',
      passwordHash: registered ? null : passwordHash,
      tokenHash: token ? await hashToken(token) : null,
      expiresAt: new Date(now.getTime() + SIGNUP_LINK_HOURS * 3_600_000),
      requestedIp: origin.ip,
      createdAt: now,
    });
    return true;
  });
  if (!sent) return;
  // The email is kept under the organization the link would create (or, for a registered address, one that never
  // will be): the address may have an account in another region, whose shards this one cannot write.
  await ctx.shards.withTenant(newOrganizationId, (tx) =>
    token
      ? queueEmail(tx, ctx.jobs, {
          organizationId: newOrganizationId,
          kind: 'transactional',
          template: 'signup_confirmation',
          data: { token, expiresInHours: SIGNUP_LINK_HOURS },
          to: email,
        })
      : queueEmail(tx, ctx.jobs, {
          organizationId: newOrganizationId,
          kind: 'transactional',
          template: 'signup_account_exists',
          data: {},
          to: email,
        }),
  );
}

/**
 * Deletes requests older than two days, with the emails of those that never became an organization (nothing else
 * would ever delete them): addresses are not kept longer than they are needed.
 */
async function purgeStaleRequests(ctx: RegionContext, now: Date): Promise<void> {
  const stale = await catalogOf(ctx).db.transaction(async (tx) => {
    const rows = await tx
      .select({ id: signupRequests.id, organizationId: signupRequests.newOrganizationId })
      .from(signupRequests)
      .where(lt(signupRequests.createdAt, new Date(now.getTime() - KEEP_HOURS * 3_600_000)))
      .limit(PURGE_BATCH)
      .for('update', { skipLocked: true });
    for (const row of rows) await tx.delete(signupRequests).where(eq(signupRequests.id, row.id));
    return rows;
  });
  for (const { organizationId } of stale) {
    await ctx.shards.withTenant(organizationId, async (tx) => {
      const [created] = await tx
        .select({ id: organizations.id })
        .from(organizations)
        .where(eq(organizations.id, organizationId));
      if (!created) await tx.delete(emailMessages).where(eq(emailMessages.organizationId, organizationId));
    });
  }
}

/**
 * Finishes a sign-up with its link's token: the link is spent first (so two confirmations cannot both go on), then
 * the organization and its admin are created as a direct sign-up creates them. An email registered since the link
 * was sent answers as a dead link does; a failure of anything else gives the link back for another try.
 */
export async function confirmSignup(
  ctx: RegionContext,
  input: z.infer<typeof SignupConfirmInput>,
  origin: Origin,
): Promise<Awaited<ReturnType<typeof createOrganization>>> {
  const parsed = parseRoutableToken(input.token);
  if (parsed?.kind !== 'sgn' || parsed.region !== ctx.region) throw invalidLink();
  const tokenHash = await hashToken(input.token);
  const catalog = catalogOf(ctx).db;
  const now = new Date();
  const [request] = await catalog
    .update(signupRequests)
    .set({ usedAt: now })
    .where(
      and(
        eq(signupRequests.tokenHash, tokenHash),
        eq(signupRequests.kind, 'confirm'),
        eq(signupRequests.newOrganizationId, parsed.organizationId),
        isNull(signupRequests.usedAt),
        gt(signupRequests.expiresAt, now),
      ),
    )
    .returning();
  if (!request?.passwordHash) throw invalidLink();
  const fresh: NewOrganization = {
    organizationId: request.newOrganizationId,
    userId: newId(),
    email: request.email,
    organization: request.organizationName,
    name: request.userName,
    passwordHash: request.passwordHash,
  };
  let reserved: { slug: string } | null;
  try {
    reserved = await reserveSignup(ctx, fresh);
  } catch (error) {
    await giveBack(catalog, request.id);
    throw error;
  }
  // Registered since the link was sent: the link can never work, and says no more than a dead one does.
  if (!reserved) throw invalidLink();
  try {
    return await createOrganization(ctx, fresh, reserved.slug, origin);
  } catch (error) {
    await giveBack(catalog, request.id);
    throw error;
  }
}

const giveBack = (catalog: Connection['db'], id: string) =>
  catalog
    .update(signupRequests)
    .set({ usedAt: null })
    .where(eq(signupRequests.id, id))
    .catch(() => {});
