import { and, desc, eq, gt, lte, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/database.ts';
import { activities, companies, contacts, deals, leads, savedViews, watches } from '../../db/schema/index.ts';
import type { ShardSet } from '../../db/shard-set.ts';
import { exportQueries } from '../../openapi/schemas/exports.ts';
import { ownRecordsOnly } from '../../regions/auth/permissions.ts';
import { customFieldFilters } from '../../regions/custom-fields/filters.ts';
import { exportFilters } from '../../regions/exports/filters.ts';
import { type NotifyDeps, notify } from '../../regions/notifications/notify.ts';
import { assertMayUse } from '../../regions/saved-views/access.ts';
import { memberPrincipal } from '../../regions/watches/records.ts';
import { savedViewWatches, type WatchKey } from './scan.ts';

/** Records named in one digest; more are counted ("50+"), and the view itself shows them all. */
const LISTED = 50;

const lists = {
  lead: 'leads',
  contact: 'contacts',
  company: 'companies',
  deal: 'deals',
  activity: 'activities',
} as const;
const tables = { leads, contacts, companies, deals, activities };
type Row = {
  id: string;
  firstName?: string;
  lastName?: string;
  name?: string;
  subject?: string;
  email?: string | null;
};

const nameOf = (r: Row) =>
  r.name ?? r.subject ?? (`${r.firstName ?? ''} ${r.lastName ?? ''}`.trim() || r.email || r.id);

export type DigestOutcome = 'sent' | 'nothing_new' | 'no_access' | 'view_gone' | 'busy';

/**
 * One saved-view watch's digest: the records of the view (its filters, as its list applies them, and only those
 * the watcher may see now) changed after the watch's watermark and up to `now`, told as one notification; the
 * watermark then moves to `now`. The watch row is claimed `FOR UPDATE SKIP LOCKED`, so two runs never report one
 * window twice. A watcher who lost access to the view is told nothing; a deleted view ends its watches.
 */
export async function digestWatch(
  tx: Tx,
  deps: NotifyDeps,
  region: string,
  key: WatchKey,
  now: Date,
): Promise<DigestOutcome> {
  const { organizationId } = key;
  const [watch] = await tx
    .select()
    .from(watches)
    .where(and(eq(watches.organizationId, organizationId), eq(watches.id, key.id)))
    .for('update', { skipLocked: true });
  if (!watch) return 'busy';
  const since = watch.watermark ?? watch.createdAt;
  if (since >= now) return 'nothing_new';
  const advance = () =>
    tx
      .update(watches)
      .set({ watermark: now })
      .where(and(eq(watches.organizationId, organizationId), eq(watches.id, watch.id)));
  const [view] = await tx
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.organizationId, organizationId), eq(savedViews.id, watch.targetId)));
  if (!view) {
    await tx.delete(watches).where(and(eq(watches.organizationId, organizationId), eq(watches.id, watch.id)));
    return 'view_gone';
  }
  const principal = await memberPrincipal(tx, organizationId, region, watch.userId);
  let allowed = principal !== null && (view.ownerId === watch.userId || view.shared);
  if (principal && allowed) {
    try {
      assertMayUse(principal, view.entity);
    } catch {
      allowed = false;
    }
  }
  const list = lists[view.entity];
  const filters = view.filters as Record<string, string>;
  const plain = Object.fromEntries(Object.entries(filters).filter(([name]) => !name.startsWith('cf.')));
  const parsed = exportQueries[list].safeParse(plain);
  // The view's filters were valid when saved; one a later schema change refuses selects nothing rather than all.
  if (!principal || !allowed || !parsed.success) {
    await advance();
    return 'no_access';
  }
  // Every listed table has organization_id, id, owner_id and updated_at; drizzle cannot select from a union.
  const table = tables[list] as unknown as typeof leads;
  const conditions: SQL[] = [
    eq(table.organizationId, organizationId),
    gt(table.updatedAt, since),
    lte(table.updatedAt, now),
    ...exportFilters[list].conditions(parsed.data as never).filter((c): c is SQL => c !== undefined),
  ];
  if (view.entity !== 'activity') {
    conditions.push(...(await customFieldFilters(tx, organizationId, view.entity, table.customFields, filters)));
  }
  const own = view.entity === 'company' ? null : ownRecordsOnly(principal);
  if (own) conditions.push(eq(table.ownerId, own));
  const rows = (await tx
    .select()
    .from(table)
    .where(and(...conditions))
    .orderBy(desc(table.updatedAt))
    .limit(LISTED + 1)) as unknown as Row[];
  await advance();
  if (rows.length === 0) return 'nothing_new';
  const count = rows.length > LISTED ? `${LISTED}+` : String(rows.length);
  const names = rows.slice(0, LISTED).map(nameOf);
  await notify(tx, deps, {
    organizationId,
    userId: watch.userId,
    type: 'record_changed',
    title: `${count} new or changed in “${view.name}”`,
    body: names.join(', '),
    link: rows.length === 1 ? { type: view.entity, id: rows[0]!.id } : null,
  });
  return 'sent';
}

/** One run of the digest job: every saved-view watch on the region's shards, each in its own tenant transaction. */
export async function runDigests(
  shards: ShardSet,
  deps: NotifyDeps & { log: { error(o: object, m: string): void } },
  region: string,
  now = new Date(),
): Promise<Record<DigestOutcome, number>> {
  const outcomes: Record<DigestOutcome, number> = { sent: 0, nothing_new: 0, no_access: 0, view_gone: 0, busy: 0 };
  for (const shard of shards.all()) {
    let after: WatchKey | null = null;
    for (;;) {
      const page = await savedViewWatches(shard, after);
      for (const key of page) {
        try {
          outcomes[await shards.withTenant(key.organizationId, (tx) => digestWatch(tx, deps, region, key, now))]++;
        } catch (err) {
          deps.log.error({ err, ...key }, 'saved-view digest failed for a watch');
        }
      }
      if (page.length < 500) break;
      after = page[page.length - 1]!;
    }
  }
  return outcomes;
}
