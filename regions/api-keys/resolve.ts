import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { apiKeys } from '../../db/schema/index.ts';
import type { Principal } from '../../edge/protocol/principal.ts';
import { hashToken, parseRoutableToken } from '../../edge/protocol/routable-token.ts';
import type { Permission } from '../../openapi/schemas/permissions.ts';
import type { RegionContext } from '../context.ts';

/** The principal an API key acts as, or null for an unknown or revoked key. */
export async function resolveApiKey(ctx: RegionContext, key: string): Promise<Principal | null> {
  const parsed = parseRoutableToken(key);
  if (parsed?.kind !== 'ck' || parsed.region !== ctx.region) return null;
  const { organizationId } = parsed;
  const keyHash = await hashToken(key);
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const [row] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.organizationId, organizationId), eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
    if (!row) return null;
    const now = new Date();
    // Recorded at most once a minute per key, so a busy integration does not write on every request.
    await tx
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiKeys.organizationId, organizationId),
          eq(apiKeys.id, row.id),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now.getTime() - 60_000))),
        ),
      );
    return { type: 'api_key', organizationId, region: ctx.region, keyId: row.id, scopes: row.scopes as Permission[] };
  });
}
