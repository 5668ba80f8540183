import { and, asc, desc, eq, lt } from 'drizzle-orm';
import { workflowRunSteps, workflowRuns, workflows } from '../../db/schema/index.ts';
import { notFound } from '../../openapi/errors.ts';
import { assertCan } from '../auth/permissions.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { decodeCursor, encodeCursor } from '../support/cursor.ts';
import { findWorkflow } from './access.ts';
import { runView, workflowView } from './view.ts';

/** Every workflow of the organization, oldest first; admins and managers may read them. */
export async function listWorkflows(ctx: RegionContext, { principal }: Actor) {
  assertCan(principal, 'workflows:read');
  const { organizationId } = principal;
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx.select().from(workflows).where(eq(workflows.organizationId, organizationId)).orderBy(asc(workflows.id)),
  );
  return { data: rows.map(workflowView) };
}

export async function getWorkflow(ctx: RegionContext, { principal }: Actor, id: string) {
  assertCan(principal, 'workflows:read');
  const { organizationId } = principal;
  return workflowView(await ctx.shards.withTenant(organizationId, (tx) => findWorkflow(tx, organizationId, id)));
}

/**
 * A workflow's runs, newest first, a page at a time (keyset on the run id, a UUIDv7, so a page never shifts as new
 * runs arrive). Runs outlive their workflow, so a deleted workflow's log stays readable.
 */
export async function listWorkflowRuns(
  ctx: RegionContext,
  { principal }: Actor,
  workflowId: string,
  query: { limit: number; cursor?: string | undefined },
) {
  assertCan(principal, 'workflows:read');
  const { organizationId } = principal;
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const r = workflowRuns;
  const rows = await ctx.shards.withTenant(organizationId, (tx) =>
    tx
      .select()
      .from(r)
      .where(
        and(eq(r.organizationId, organizationId), eq(r.workflowId, workflowId), after ? lt(r.id, after) : undefined),
      )
      .orderBy(desc(r.id))
      .limit(query.limit + 1),
  );
  const page = rows.slice(0, query.limit);
  const more = rows.length > query.limit;
  return { data: page.map((run) => runView(run)), nextCursor: more ? encodeCursor(page.at(-1)!.id) : null };
}

/** One run with each step's status, result or error, and timings. */
export async function getWorkflowRun(ctx: RegionContext, { principal }: Actor, workflowId: string, runId: string) {
  assertCan(principal, 'workflows:read');
  const { organizationId } = principal;
  return ctx.shards.withTenant(organizationId, async (tx) => {
    const r = workflowRuns;
    const [run] = await tx
      .select()
      .from(r)
      .where(and(eq(r.organizationId, organizationId), eq(r.workflowId, workflowId), eq(r.id, runId)));
    if (!run) throw notFound('Workflow run');
    const s = workflowRunSteps;
    const steps = await tx
      .select()
      .from(s)
      .where(and(eq(s.organizationId, organizationId), eq(s.runId, runId)))
      .orderBy(asc(s.position));
    return runView(run, steps);
  });
}
