import type { z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { repAvailability, users } from '../../db/schema/index.ts';
import { badRequest, forbidden, notFound } from '../../openapi/errors.ts';
import type { AvailabilityInput } from '../../openapi/schemas/assignment-rules.ts';
import { atCapacity, isAway } from '../../workers/dispatch/choose.ts';
import { openLeadCounts } from '../../workers/dispatch/state.ts';
import { assertCan, can } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';

type AvailabilityRow = typeof repAvailability.$inferSelect;

async function availabilityOf(tx: Tx, organizationId: string, userId: string) {
  const [user] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, organizationId), eq(users.id, userId)));
  if (!user) throw notFound('User');
  const [row] = await tx
    .select()
    .from(repAvailability)
    .where(and(eq(repAvailability.organizationId, organizationId), eq(repAvailability.userId, userId)));
  return row ?? null;
}

async function view(tx: Tx, organizationId: string, userId: string, row: AvailabilityRow | null, now: Date) {
  const openLeads = (await openLeadCounts(tx, organizationId, [userId])).get(userId) ?? 0;
  const state = {
    away: row?.away ?? false,
    awayUntil: row?.awayUntil ?? null,
    maxOpenLeads: row?.maxOpenLeads ?? null,
    openLeads,
  };
  const away = isAway(state, now);
  return {
    userId,
    away,
    awayUntil: away ? (state.awayUntil?.toISOString() ?? null) : null,
    maxOpenLeads: state.maxOpenLeads,
    openLeads,
    available: !away && !atCapacity(state),
    updatedAt: row ? row.updatedAt.toISOString() : null,
  };
}

/** Whether a member is away and how many open leads they take, as dispatch sees it now. */
export async function getAvailability(ctx: RegionContext, { principal }: Actor, userId: string) {
  assertCan(principal, 'users:read');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const row = await availabilityOf(tx, organizationId, userId);
    return view(tx, organizationId, userId, row, new Date());
  });
}

/**
 * Sets a member's availability: themself, or anyone for those who manage assignment rules (admins, managers).
 * Replaces the whole setting; leads already owned stay where they are. Audited with `user.availability_changed`.
 */
export async function setAvailability(
  ctx: RegionContext,
  actor: Actor,
  userId: string,
  input: z.infer<typeof AvailabilityInput>,
) {
  const { principal } = actor;
  const self = principal.type === 'user' && principal.userId === userId;
  if (!self && !can(principal, 'assignment_rules:manage')) {
    throw forbidden("Only admins and managers may set another member's availability");
  }
  const now = new Date();
  const awayUntil = input.awayUntil ? new Date(input.awayUntil) : null;
  if (awayUntil && awayUntil.getTime() <= now.getTime()) {
    throw badRequest('validation_failed', 'awayUntil must be in the future', [
      { path: 'awayUntil', message: 'Must be in the future' },
    ]);
  }
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const before = await availabilityOf(tx, organizationId, userId);
    const fields = { away: input.away, awayUntil, maxOpenLeads: input.maxOpenLeads ?? null };
    const [row] = await tx
      .insert(repAvailability)
      .values({ organizationId, userId, ...fields, updatedBy: actorId(principal), updatedAt: now })
      .onConflictDoUpdate({
        target: [repAvailability.organizationId, repAvailability.userId],
        set: { ...fields, updatedBy: actorId(principal), updatedAt: now },
      })
      .returning();
    const availability = await view(tx, organizationId, userId, row!, now);
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'user.availability_changed',
      target: { type: 'user', id: userId },
      changes: {
        before: before ? { away: before.away, awayUntil: before.awayUntil, maxOpenLeads: before.maxOpenLeads } : null,
        after: fields,
      },
      event: { type: 'user.availability_changed', payload: availability },
    });
    return availability;
  });
}
