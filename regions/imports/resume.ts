import { and, eq, inArray } from 'drizzle-orm';
import type { Connection } from '../../db/database.ts';
import { imports, tenantPlacements } from '../../db/schema/index.ts';
import type { RegionContext } from '../context.ts';
import { LEASE_MS } from './lease.ts';
import type { ImportJob } from './runner.ts';
import type { ImportRow } from './view.ts';

/** What the scan reads of an unfinished import. */
type Unfinished = Pick<ImportRow, 'id' | 'status' | 'updatedAt' | 'storageKey'>;

const unfinishedColumns = {
  id: imports.id,
  status: imports.status,
  updatedAt: imports.updatedAt,
  storageKey: imports.storageKey,
};

/** Past the lease, plus a moment, so the claim that follows finds it expired. */
const untilLeaseEnds = (updatedAt: Date) => Math.max(0, updatedAt.getTime() + LEASE_MS - Date.now()) + 1_000;

export type ImportResumer = {
  /** Resolves when the startup scan has handed over every unfinished import it found (tests). */
  readonly scanned: Promise<void>;
  /** Stops watching (and scanning), waiting for a scan or check under way; before the runner and shards close. */
  stop(): Promise<void>;
};

/**
 * Resumes the imports a stopped region left unfinished: at startup it reads, shard by shard, the organizations
 * placed there (`tenant_placements`, which is not tenant data and has no row-level security) and, in each one's
 * own RLS transaction, its `queued` and `running` imports. Queued ones (a clean shutdown puts a running import
 * back to queued after its current batch) go to the runner at once, which resumes each after its last committed
 * batch. A `running` one still holds its lease: its process may still be at work (a rolling restart) or may have
 * died; it is checked again when the lease runs out, and taken over then unless it finished or moved on. The run
 * token (lease.ts) keeps two runs from writing the same rows whichever way such a race goes.
 *
 * Scanning tenant by tenant keeps the one rule of this code base (the application reads tenant tables only as a
 * tenant, never as a superuser nor with RLS off); it costs one small indexed query per organization, once per
 * region start, like the retention run.
 */
export function resumeImports(ctx: RegionContext): ImportResumer {
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const pending = new Set<Promise<unknown>>();
  let stopped = false;

  const track = <T>(work: Promise<T>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work)).catch(() => {});
    return work;
  };

  async function unfinishedOf(organizationId: string): Promise<Unfinished[]> {
    return ctx.shards.withTenant(organizationId, (tx) =>
      tx
        .select(unfinishedColumns)
        .from(imports)
        .where(and(eq(imports.organizationId, organizationId), inArray(imports.status, ['queued', 'running']))),
    );
  }

  /** Hands the import to the runner, or waits for the lease of the run that holds it. */
  async function pickUp(organizationId: string, found: Unfinished) {
    const job: ImportJob = { organizationId, importId: found.id };
    // Every process of a region shares its storage; one that cannot see the upload could only fail the import,
    // which a process that can see it would complete: leave it queued, and say so.
    if ((await ctx.storage.size(found.storageKey)) === null) {
      ctx.log.warn({ ...job }, 'unfinished import whose upload this process cannot read; not resumed here');
      return;
    }
    if (found.status === 'running' && Date.now() - found.updatedAt.getTime() <= LEASE_MS) {
      watch(job, untilLeaseEnds(found.updatedAt));
      return;
    }
    ctx.log.info({ ...job, status: found.status }, 'resuming an unfinished import');
    ctx.imports.start(job);
  }

  function watch(job: ImportJob, delay: number) {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      track(check(job)).catch((err) => ctx.log.error({ err, ...job }, 'could not check an unfinished import'));
    }, delay);
    timer.unref?.();
    timers.add(timer);
  }

  /** At the end of a lease: finished or gone, nothing to do; renewed, wait again; else take it over. */
  async function check(job: ImportJob) {
    if (stopped) return;
    const [found] = (await unfinishedOf(job.organizationId)).filter((row) => row.id === job.importId);
    if (found) await pickUp(job.organizationId, found);
  }

  async function scanShard(shard: Connection) {
    const placed = await shard.db
      .select({ organizationId: tenantPlacements.organizationId })
      .from(tenantPlacements)
      .where(eq(tenantPlacements.region, ctx.region));
    for (const { organizationId } of placed) {
      if (stopped) return;
      try {
        for (const found of await unfinishedOf(organizationId)) await pickUp(organizationId, found);
      } catch (err) {
        ctx.log.error({ err, organizationId }, 'could not resume the imports of an organization');
      }
    }
  }

  const scanned = track(
    Promise.all(ctx.shards.all().map(scanShard)).then(
      () => {},
      (err) => ctx.log.error({ err }, 'import resume scan failed'),
    ),
  );
  return {
    scanned,
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
