import type { OpenAPIHono } from '@hono/zod-openapi';
import { getAvailabilityRoute, setAvailabilityRoute } from '../../openapi/routes/assignment-rules/availability.ts';
import { createAssignmentRuleRoute } from '../../openapi/routes/assignment-rules/create.ts';
import { deleteAssignmentRuleRoute } from '../../openapi/routes/assignment-rules/delete.ts';
import { getAssignmentRuleRoute } from '../../openapi/routes/assignment-rules/get.ts';
import { getLeadAssignmentRoute } from '../../openapi/routes/assignment-rules/lead-assignment.ts';
import { listAssignmentRulesRoute } from '../../openapi/routes/assignment-rules/list.ts';
import { reorderAssignmentRulesRoute } from '../../openapi/routes/assignment-rules/reorder.ts';
import { updateAssignmentRuleRoute } from '../../openapi/routes/assignment-rules/update.ts';
import type { RegionContext } from '../context.ts';
import { actorOf, type RegionEnv } from '../support/actor.ts';
import { createdRecord } from '../support/created.ts';
import { etagOf } from '../support/views.ts';
import { getAvailability, setAvailability } from './availability.ts';
import { createAssignmentRule } from './create.ts';
import { deleteAssignmentRule } from './delete.ts';
import { getLeadAssignment } from './lead-assignment.ts';
import { getAssignmentRule, listAssignmentRules } from './list.ts';
import { reorderAssignmentRules } from './reorder.ts';
import { updateAssignmentRule } from './update.ts';

export function registerAssignmentRuleRoutes(app: OpenAPIHono<RegionEnv>, ctx: RegionContext) {
  app.openapi(listAssignmentRulesRoute, async (c) => c.json(await listAssignmentRules(ctx, actorOf(c)), 200));
  app.openapi(createAssignmentRuleRoute, async (c) => {
    const key = c.req.valid('header')['idempotency-key'];
    const result = await createAssignmentRule(ctx, actorOf(c), c.req.valid('json'), key);
    return createdRecord(c, result, '/api/v1/assignment-rules');
  });
  // Registered before /{id} routes: `order` is a path of its own, not an id.
  app.openapi(reorderAssignmentRulesRoute, async (c) =>
    c.json(await reorderAssignmentRules(ctx, actorOf(c), c.req.valid('json')), 200),
  );
  app.openapi(getAssignmentRuleRoute, async (c) => {
    const rule = await getAssignmentRule(ctx, actorOf(c), c.req.valid('param').id);
    c.header('ETag', etagOf(rule.version));
    return c.json(rule, 200);
  });
  app.openapi(updateAssignmentRuleRoute, async (c) => {
    const ifMatch = c.req.valid('header')['if-match'];
    const rule = await updateAssignmentRule(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json'), ifMatch);
    c.header('ETag', etagOf(rule.version));
    return c.json(rule, 200);
  });
  app.openapi(deleteAssignmentRuleRoute, async (c) => {
    await deleteAssignmentRule(ctx, actorOf(c), c.req.valid('param').id);
    return c.body(null, 204);
  });
  app.openapi(getAvailabilityRoute, async (c) =>
    c.json(await getAvailability(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
  app.openapi(setAvailabilityRoute, async (c) =>
    c.json(await setAvailability(ctx, actorOf(c), c.req.valid('param').id, c.req.valid('json')), 200),
  );
  app.openapi(getLeadAssignmentRoute, async (c) =>
    c.json(await getLeadAssignment(ctx, actorOf(c), c.req.valid('param').id), 200),
  );
}
