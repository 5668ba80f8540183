import type { OpenAPIHono } from '@hono/zod-openapi';
import { createWorkflowRoute } from '../../openapi/routes/workflows/create.ts';
import { deleteWorkflowRoute } from '../../openapi/routes/workflows/delete.ts';
import { dryRunWorkflowRoute } from '../../openapi/routes/workflows/dry-run.ts';
import { getWorkflowRoute } from '../../openapi/routes/workflows/get.ts';
import { listWorkflowsRoute } from '../../openapi/routes/workflows/list.ts';
import { getWorkflowRunRoute, listWorkflowRunsRoute } from '../../openapi/routes/workflows/runs.ts';
import {
  disableWorkflowRoute,
  enableWorkflowRoute,
  updateWorkflowRoute,
} from '../../openapi/routes/workflows/update.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { createdRecord } from '../support/created.ts';
import { etagOf } from '../support/views.ts';
import { createWorkflow } from './create.ts';
import { deleteWorkflow } from './delete.ts';
import { dryRunWorkflow } from './dry-run.ts';
import { getWorkflow, getWorkflowRun, listWorkflowRuns, listWorkflows } from './list.ts';
import { setWorkflowEnabled, updateWorkflow } from './update.ts';

export function registerWorkflowRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(listWorkflowsRoute, async (c) => c.json(await listWorkflows(ctx, actorOf(c)), 200));
  app.openapi(createWorkflowRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await createWorkflow(ctx, actorOf(c), c.req.valid('json'), key);
    return createdRecord(c, result, '/api/v1/workflows');
  });
  app.openapi(getWorkflowRoute, async (c) => {
    const workflow = await getWorkflow(ctx, actorOf(c), c.req.valid('param').id);
    c.header('ETag', etagOf(workflow.version));
    return c.json(workflow, 200);
  });
  app.openapi(updateWorkflowRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const workflow = await updateWorkflow(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(workflow.version));
    return c.json(workflow, 200);
  });
  for (const [route, enabled] of [
    [enableWorkflowRoute, true],
    [disableWorkflowRoute, false],
  ] as const) {
    app.openapi(route, async (c) => {
      const ifMatch = c.req.valid('header')['if-match'];
      const workflow = await setWorkflowEnabled(ctx, actorOf(c), c.req.valid('param').id, enabled, ifMatch);
      c.header('ETag', etagOf(workflow.version));
      return c.json(workflow, 200);
    });
  }
  app.openapi(deleteWorkflowRoute, async (c) => {
    await deleteWorkflow(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(dryRunWorkflowRoute, async (c) =>
    c.json((await dryRunWorkflow(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'))) as never, 200),
  );
  app.openapi(listWorkflowRunsRoute, async (c) =>
    c.json(await listWorkflowRuns(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('query')), 200),
  );
  app.openapi(getWorkflowRunRoute, async (c) => {
    const { id, runId } = c.req.valid('param');
    return c.json(await getWorkflowRun(ctx, actorOf(c), id, runId), 200);
  });
}
