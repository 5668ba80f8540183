import type { z } from '@hono/zod-openapi';
import { and, asc, eq, gt, or, type SQL } from 'drizzle-orm';
import { emailSuppressions, type SuppressionReason, suppressionReasons } from '../../db/schema/index.ts';
import { decodeJson, encodeJson } from '../../edge/protocol/encoding.ts';
import { badRequest, notFound } from '../../openapi/errors.ts';
import type { SuppressionInput, SuppressionListQuery } from '../../openapi/schemas/emails.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import { type Actor, actorId } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';
import { normaliseAddress, suppress } from './suppression.ts';
import { withdrawMarketingConsent } from './unsubscribe.ts';
import { suppressionView } from './view.ts';

type Position = { address: string; reason: SuppressionReason };

// The list is ordered by address, then reason (its key); the cursor is the last entry of a page.
const encodePosition = (p: Position) => encodeJson({ v: 1, a: p.address, r: p.reason });

function decodePosition(cursor: string): Position {
  try {
    const value = decodeJson<{ v?: unknown; a?: unknown; r?: unknown }>(cursor);
    if (value.v === 1 && typeof value.a === 'string' && suppressionReasons.includes(value.r as SuppressionReason)) {
      return { address: value.a, reason: value.r as SuppressionReason };
    }
  } catch {
    // falls through to the one error below
  }
  throw badRequest('invalid_cursor', 'The cursor is not one this API returned', [
    { path: 'cursor', message: 'Use nextCursor from a previous page' },
  ]);
}

export async function listSuppressions(
  ctx: RegionContext,
  { principal }: Actor,
  query: z.infer<typeof SuppressionListQuery>,
) {
  assertCan(principal, 'emails:manage');
  const t = emailSuppressions;
  const conditions: (SQL | undefined)[] = [eq(t.organizationId, principal.organizationId)];
  if (query.reason) conditions.push(eq(t.reason, query.reason));
  if (query.cursor) {
    const after = decodePosition(query.cursor);
    conditions.push(or(gt(t.address, after.address), and(eq(t.address, after.address), gt(t.reason, after.reason))));
  }
  const rows = await ctx.shards.withTenant(principal.organizationId, (tx) =>
    tx
      .select()
      .from(t)
      .where(and(...conditions))
      .orderBy(asc(t.address), asc(t.reason))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    data: page.map(suppressionView),
    nextCursor: rows.length > query.limit && last ? encodePosition(last) : null,
  };
}

/** Suppresses an address by hand; `unsubscribed` also withdraws the marketing consent of its contacts. */
export async function addSuppression(ctx: RegionContext, actor: Actor, input: z.infer<typeof SuppressionInput>) {
  const { principal } = actor;
  assertCan(principal, 'emails:manage');
  const { organizationId } = principal;
  const address = normaliseAddress(input.address);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const entry = { organizationId, address, reason: input.reason, detail: input.detail ?? null };
    if (await suppress(tx, entry, actorId(principal))) {
      await recordChange(tx, {
        organizationId,
        actor,
        action: 'email_suppression.added',
        target: { type: 'email_suppression', id: null },
        changes: { address, reason: input.reason, detail: entry.detail },
      });
      if (input.reason === 'unsubscribed') {
        await withdrawMarketingConsent(tx, organizationId, address, actor, 'suppression_list');
      }
    }
    const [row] = await tx
      .select()
      .from(emailSuppressions)
      .where(
        and(
          eq(emailSuppressions.organizationId, organizationId),
          eq(emailSuppressions.address, address),
          eq(emailSuppressions.reason, input.reason),
        ),
      );
    return suppressionView(row!);
  });
}

/** Takes the address off the list, every reason at once; 404 when it was not on it. */
export async function removeSuppression(ctx: RegionContext, actor: Actor, rawAddress: string) {
  const { principal } = actor;
  assertCan(principal, 'emails:manage');
  const { organizationId } = principal;
  const address = normaliseAddress(rawAddress);
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const removed = await tx
      .delete(emailSuppressions)
      .where(and(eq(emailSuppressions.organizationId, organizationId), eq(emailSuppressions.address, address)))
      .returning({ reason: emailSuppressions.reason });
    if (removed.length === 0) throw notFound('Suppression');
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'email_suppression.removed',
      target: { type: 'email_suppression', id: null },
      changes: { address, reasons: removed.map((r) => r.reason) },
    });
  });
}
