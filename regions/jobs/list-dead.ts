import type { z } from '@hono/zod-openapi';
import type { DeadJobQuery } from '../../openapi/schemas/jobs.ts';
import type { RegionContext } from '../context.ts';
import type { Actor } from '../support/actor.ts';
import { assertKnownQueue, jobsAdminOrganization } from './access.ts';
import { deadJobView } from './view.ts';

/** The organization's jobs that failed every retry, newest first (admins). */
export async function listDeadJobs(ctx: RegionContext, actor: Actor, query: z.infer<typeof DeadJobQuery>) {
  const organizationId = jobsAdminOrganization(actor);
  if (query.queue !== undefined) assertKnownQueue(ctx, query.queue, 'queue');
  const jobs = await ctx.jobs.deadJobs(organizationId, query.limit, query.queue);
  return { data: jobs.map(deadJobView) };
}
