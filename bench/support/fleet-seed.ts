import { apiClient } from '../../test/support/api.ts';
import { seedOrganizationRows, withoutSecondaryIndexes } from './crm-seed.ts';
import { type Backend, type BenchDatabases, openRawDb } from './database.ts';
import type { BenchStack } from './stack.ts';

/** One seeded organization: its admin's session, its reps, its shard and how many leads it holds. */
export type SeededOrganization = {
  id: string;
  adminToken: string;
  adminUserId: string;
  repIds: string[];
  shardIndex: number;
  leads: number;
};

export type FleetSizes = {
  /** Leads over every organization together; deals are a fifth of each organization's, activities as many. */
  leads: number;
  organizations: number;
  /** Sales reps of the largest organization; the others get a quarter as many (at least one). */
  reps: number;
};

/** Signing up more than this many organizations without reaching a second shard means the map has only one. */
const MAX_SIGNUPS = 24;

/**
 * Several organizations over at least two shards, seeded in parallel (one connection per shard, each shard's
 * indexes taken off during its load and rebuilt after it): the largest holds half the leads, the others share
 * the rest, as a region's tenants are uneven. Returns them largest first. Times itself: `log` says how long.
 */
export async function seedFleet(
  backend: Backend,
  stack: BenchStack,
  dbs: BenchDatabases,
  sizes: FleetSizes,
  log: (message: string) => void,
): Promise<SeededOrganization[]> {
  const api = apiClient(stack.edgeUrl);
  const shardIndexOf = (organizationId: string) =>
    Number(stack.region.ctx.shards.forOrganization(organizationId).id.split('-').pop());
  const signups: Awaited<ReturnType<typeof api.signup>>[] = [];
  while (
    signups.length < sizes.organizations ||
    (dbs.shardUrls.length > 1 && new Set(signups.map((s) => shardIndexOf(s.organization.id))).size < 2)
  ) {
    if (signups.length >= MAX_SIGNUPS) throw new Error(`${MAX_SIGNUPS} organizations all landed on one shard`);
    signups.push(await api.signup(`bench-api-${signups.length}`));
  }
  const rest = signups.length > 1 ? Math.floor(sizes.leads / 2 / (signups.length - 1)) : 0;
  const organizations: SeededOrganization[] = [];
  for (const [i, signup] of signups.entries()) {
    const repCount = i === 0 ? sizes.reps : Math.max(1, Math.floor(sizes.reps / 4));
    const repIds: string[] = [];
    for (let r = 0; r < repCount; r++) repIds.push((await api.member(signup.token, 'sales_rep', `rep${r}`)).user.id);
    organizations.push({
      id: signup.organization.id,
      adminToken: signup.token,
      adminUserId: signup.user.id,
      repIds,
      shardIndex: shardIndexOf(signup.organization.id),
      leads: i === 0 ? sizes.leads - rest * (signups.length - 1) : rest,
    });
  }

  const started = performance.now();
  const byShard = new Map<number, SeededOrganization[]>();
  for (const org of organizations) byShard.set(org.shardIndex, [...(byShard.get(org.shardIndex) ?? []), org]);
  log(
    `seeding ${sizes.leads.toLocaleString('en-US')} leads over ${organizations.length} organizations on ` +
      `${byShard.size} shards (${organizations.map((o) => `${o.leads.toLocaleString('en-US')} on shard ${o.shardIndex}`).join(', ')})`,
  );
  // The shards are separate databases: each loads and builds its indexes on its own connection, side by side.
  await Promise.all(
    [...byShard].map(async ([shardIndex, orgs]) => {
      const shard = stack.region.ctx.shards.forOrganization(orgs[0]!.id);
      const raw = await openRawDb(backend, shard, dbs.shardUrls[shardIndex]!);
      const quiet = () => {};
      try {
        await withoutSecondaryIndexes(
          raw,
          async () => {
            for (const org of orgs) {
              const counts = { leads: org.leads, deals: Math.ceil(org.leads / 5), activities: org.leads };
              await seedOrganizationRows(raw, org.id, org.repIds, counts, quiet);
            }
          },
          (message) => log(`shard ${shardIndex}: ${message}`),
        );
      } finally {
        await raw.close();
      }
    }),
  );
  const leads = organizations.reduce((sum, o) => sum + o.leads, 0);
  log(
    `seeded ${leads.toLocaleString('en-US')} leads, ${Math.ceil(leads / 10).toLocaleString('en-US')} contacts, ` +
      `~${Math.ceil(leads / 5).toLocaleString('en-US')} deals, ${leads.toLocaleString('en-US')} activities in ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s (rows, indexes, VACUUM ANALYZE)`,
  );
  return organizations;
}
