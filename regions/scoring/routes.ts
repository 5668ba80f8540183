import type { OpenAPIHono } from '@hono/zod-openapi';
import { getScoringRulesRoute, putScoringRulesRoute } from '../../openapi/routes/scoring-rules/index.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { etagOf } from '../support/views.ts';
import { getScoringRules, putScoringRules } from './service.ts';

export function registerScoringRuleRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(getScoringRulesRoute, async (c) => {
    const view = await getScoringRules(ctx, actorOf(c));
    c.header('ETag', etagOf(view.version));
    return c.json(view, 200);
  });
  app.openapi(putScoringRulesRoute, async (c) => {
    const view = await putScoringRules(ctx, actorOf(c), c.req.valid('json'), c.req.valid('header')['if-match']);
    c.header('ETag', etagOf(view.version));
    return c.json(view, 200);
  });
}
