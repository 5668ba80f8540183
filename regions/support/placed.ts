import { eq } from 'drizzle-orm';
import { tenantPlacements } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';

/** The organizations placed in the region, from every shard's copy of the placements, each once. */
export async function organizationsPlacedIn(shards: ShardSet, region: string): Promise<Set<string>> {
  const organizationIds = new Set<string>();
  for (const shard of shards.all()) {
    const placed = await shard.db
      .select({ id: tenantPlacements.organizationId })
      .from(tenantPlacements)
      .where(eq(tenantPlacements.region, region));
    for (const p of placed) organizationIds.add(p.id);
  }
  return organizationIds;
}
