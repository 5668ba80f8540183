import type { OpenAPIHono } from '@hono/zod-openapi';
import { addStageRoute } from '../../openapi/routes/pipelines/add-stage.ts';
import { createPipelineRoute } from '../../openapi/routes/pipelines/create.ts';
import { deletePipelineRoute } from '../../openapi/routes/pipelines/delete.ts';
import { deleteStageRoute } from '../../openapi/routes/pipelines/delete-stage.ts';
import { getPipelineRoute } from '../../openapi/routes/pipelines/get.ts';
import { listPipelinesRoute } from '../../openapi/routes/pipelines/list.ts';
import { updatePipelineRoute } from '../../openapi/routes/pipelines/update.ts';
import { updateStageRoute } from '../../openapi/routes/pipelines/update-stage.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { conditionalRead } from '../support/conditional-read.ts';
import { createdRecord } from '../support/created.ts';
import { etagOf } from '../support/views.ts';
import { addStage } from './add-stage.ts';
import { createPipeline } from './create.ts';
import { deletePipeline } from './delete.ts';
import { deleteStage } from './delete-stage.ts';
import { getPipeline } from './get.ts';
import { listPipelines } from './list.ts';
import { updatePipeline } from './update.ts';
import { updateStage } from './update-stage.ts';

export function registerPipelineRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(createPipelineRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    return createdRecord(c, await createPipeline(ctx, actorOf(c), c.req.valid('json'), key), '/api/v1/pipelines');
  });
  app.openapi(listPipelinesRoute, async (c) => c.json(await listPipelines(ctx, actorOf(c)), 200));
  app.openapi(getPipelineRoute, async (c) => {
    const pipeline = await getPipeline(ctx, actorOf(c), c.req.valid('param').id);
    return conditionalRead(c, pipeline);
  });
  app.openapi(updatePipelineRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const pipeline = await updatePipeline(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(pipeline.version));
    return c.json(pipeline, 200);
  });
  app.openapi(deletePipelineRoute, async (c) => {
    await deletePipeline(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('header')['if-match']);
    return c.body(null, 204);
  });
  app.openapi(addStageRoute, async (c) => {
    const headers = c.req.valid('header');
    const result = await addStage(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), {
      idempotencyKey: headers['idempotency-key'],
      ifMatch: headers['if-match'],
    });
    return createdRecord(c, result, '/api/v1/pipelines');
  });
  app.openapi(updateStageRoute, async (c) => {
    const { id, stageId } = c.req.valid('param');
    const ifMatch = c.req.valid('header')['if-match'];
    const pipeline = await updateStage(ctx, actorOf(c), id, stageId, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(pipeline.version));
    return c.json(pipeline, 200);
  });
  app.openapi(deleteStageRoute, async (c) => {
    const { id, stageId } = c.req.valid('param');
    const pipeline = await deleteStage(ctx, actorOf(c), id, stageId, c.req.valid('header')['if-match']);
    c.header('ETag', etagOf(pipeline.version));
    return c.json(pipeline, 200);
  });
}
