import type { Context } from 'hono';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { reportScope, type ScopeQuery } from './access.ts';
import { csvStream } from './csv.ts';
import { wantsCsv } from './negotiate.ts';
import type { RangeFields, Report } from './report.ts';

/**
 * Answers a report request: checks the caller may see it (and export it, for CSV), computes it in one
 * RLS-scoped transaction on the organization's shard, and sends it as JSON or as a streamed CSV download.
 */
export async function serveReport<Q extends ScopeQuery & { format?: 'json' | 'csv' }, R>(
  c: Context<RegionEnv>,
  ctx: RegionContext,
  report: Report<Q, R>,
  query: Q,
): Promise<Response> {
  const csv = wantsCsv(query.format, c.req.header('accept'));
  const scope = reportScope(actorOf(c).principal, query, csv);
  // JIT compilation is off in every tenant transaction (db/shard-set.ts): it cost a report more than it saved.
  const figures = await ctx.shards.withTenant(scope.organizationId, (tx) => report.run(tx, scope, query));
  const { from, to, timeZone } = scope.range;
  const body: R & RangeFields = { from, to, timeZone, ownerId: scope.ownerId, ...figures };
  // The same URL answers JSON or CSV by Accept: caches in between must keep them apart.
  c.header('Vary', 'Accept');
  if (!csv) return c.json(body as never, 200);
  const table = report.table(body);
  return c.body(csvStream(table.header, table.rows), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${report.name}-${from}-${to}.csv"`,
  });
}
