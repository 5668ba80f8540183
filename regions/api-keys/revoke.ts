import { and, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { recordChange } from '../support/record.ts';

export async function revokeApiKey(ctx: RegionContext, actor: Actor, keyId: string): Promise<void> {
  assertCan(actor.principal, 'api_keys:manage');
  const { organizationId } = actor.principal;
  await ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (!row) throw notFound('API key');
    await recordChange(tx, {
      organizationId,
      actor,
      action: 'api_key.revoked',
      target: { type: 'api_key', id: keyId },
    });
  });
}
