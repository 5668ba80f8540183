import type { OpenAPIHono } from '@hono/zod-openapi';
import { createActivityRoute } from '../../openapi/routes/activities/create.ts';
import { deleteActivityRoute } from '../../openapi/routes/activities/delete.ts';
import { getActivityRoute } from '../../openapi/routes/activities/get.ts';
import { listActivitiesRoute } from '../../openapi/routes/activities/list.ts';
import { listMyTasksRoute } from '../../openapi/routes/activities/my-tasks.ts';
import { updateActivityRoute } from '../../openapi/routes/activities/update.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { conditionalRead } from '../support/conditional-read.ts';
import { createdRecord } from '../support/created.ts';
import { etagOf } from '../support/views.ts';
import { createActivity } from './create.ts';
import { deleteActivity } from './delete.ts';
import { getActivity } from './get.ts';
import { listActivities } from './list.ts';
import { listMyTasks } from './my-tasks.ts';
import { updateActivity } from './update.ts';

export function registerActivityRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createActivityRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await createActivity(ctx, actorOf(c), c.req.valid('json'), key);
    return createdRecord(c, result, '/api/v1/activities');
  });
  app.openapi(listActivitiesRoute, async (c) =>
    c.json(await listActivities(ctx, actorOf(c), c.req.valid('query')), 200),
  );
  app.openapi(listMyTasksRoute, async (c) => c.json(await listMyTasks(ctx, actorOf(c), c.req.valid('query')), 200));
  app.openapi(getActivityRoute, async (c) => {
    const activity = await getActivity(ctx, actorOf(c), c.req.valid('param').id);
    return conditionalRead(c, activity);
  });
  app.openapi(updateActivityRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const activity = await updateActivity(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(activity.version));
    return c.json(activity, 200);
  });
  app.openapi(deleteActivityRoute, async (c) => {
    await deleteActivity(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('header')['if-match']);
    return c.body(null, 204);
  });
}
